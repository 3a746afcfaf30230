"""Reputation per address and per (address, skill tag), earned from settled agreements."""
