"""Node homes and processes: ``samen init``/``start``/``devnet`` build on this package."""
