"""Consensus-critical code: a change here may change app hashes or transaction results (chain upgrade)."""
