"""Fixtures: the organizations tests' people and network chain (organization 1 governs the validators)."""

from tests.domain.organizations.conftest import netchain, people  # noqa: F401  (pytest fixtures)
