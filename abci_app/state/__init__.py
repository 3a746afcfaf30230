"""State access: the read protocol, the copy-on-write overlay, and the LMDB store."""
