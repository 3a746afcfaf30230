"""Fixtures: a chain with funded requester, providers and an arbiter, driven one transaction per block."""

from __future__ import annotations

import pytest

from tests.support.chain import TestChain, key
from tests.support.market import Market


@pytest.fixture
def requester():
    return key(21)


@pytest.fixture
def provider():
    return key(22)


@pytest.fixture
def rival():
    return key(23)


@pytest.fixture
def arbiter():
    return key(24)


@pytest.fixture
def outsider():
    return key(25)


@pytest.fixture
def market(tmp_path, requester, provider, rival, arbiter, outsider):
    funded = {k: 100_000 for k in (requester, provider, rival, arbiter, outsider)}
    chain = TestChain(tmp_path / "db", balances=funded)
    yield Market(chain)
    chain.close()
