"""Documents: content hashes with metadata, version chains, and attachments to ledger objects.

Everything on the ledger is public.  Only a document's SHA-256 hash and its
metadata are stored; the content stays off-ledger, and private content must be
encrypted before it is shared.
"""
