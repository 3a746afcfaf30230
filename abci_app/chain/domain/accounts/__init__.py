"""Accounts and transfers: balances, sequences, total supply."""
