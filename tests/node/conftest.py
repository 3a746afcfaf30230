"""Node tests start a real ``cometbft`` with our app: fixtures from ``tests.support.node``."""

from tests.support.node import node_factory, pytest_runtest_makereport  # noqa: F401  (fixture and hook)
