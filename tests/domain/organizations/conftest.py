"""Fixtures: a chain with five funded accounts (a..e)."""

from __future__ import annotations

import pytest

from tests.domain.organizations.support import network_genesis
from tests.support.chain import TestChain, key


@pytest.fixture
def people():
    return [key(n) for n in range(11, 16)]


@pytest.fixture
def chain(tmp_path, people):
    c = TestChain(tmp_path / "db", balances={p: 100_000 for p in people})
    yield c
    c.close()


@pytest.fixture
def netchain(tmp_path, people):
    """A chain whose network organization (id 1) has the single member ``people[0]``."""
    c = TestChain(tmp_path / "net", balances={p: 100_000 for p in people}, extra_genesis=network_genesis(people[0]))
    yield c
    c.close()
