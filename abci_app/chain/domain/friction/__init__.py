"""Friction figures (transaction costs after Coase): per agreement and aggregated."""
