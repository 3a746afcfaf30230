"""State access: the read protocol, the copy-on-write overlay, the state tree and its proofs."""
