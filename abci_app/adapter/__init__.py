"""The ABCI adapter: runs the chain in one node (server, LedgerApp over LMDB, queries, recheck, records)."""
