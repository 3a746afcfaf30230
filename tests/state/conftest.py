"""Fixtures for the state tests: the real-node harness (``tests.support.node``) for verification tests."""

from tests.support.node import node_factory, pytest_runtest_makereport  # noqa: F401  (fixture and hook)
