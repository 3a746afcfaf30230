"""Python client: keys, transaction building and signing, CometBFT RPC."""
