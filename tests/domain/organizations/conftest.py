"""Fixtures: a chain with five funded accounts (a..e)."""

from __future__ import annotations

import pytest

from tests.support.chain import TestChain, key


@pytest.fixture
def people():
    return [key(n) for n in range(11, 16)]


@pytest.fixture
def chain(tmp_path, people):
    c = TestChain(tmp_path / "db", balances={p: 100_000 for p in people})
    yield c
    c.close()
