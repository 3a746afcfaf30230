"""Tooling outside the node process: client SDK, the ``samen`` CLI, node supervision."""
