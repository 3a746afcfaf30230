"""The ``samen`` command line (Typer)."""
