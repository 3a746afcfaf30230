"""Benchmarks: in-process, end-to-end, state and GraphQL (see BENCHMARKS.md)."""
