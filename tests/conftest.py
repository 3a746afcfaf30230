"""Shared fixtures: an in-process TestChain over a real LMDB store in a temp dir."""

from __future__ import annotations

import pytest

from tests.support import source_constants
from tests.support.chain import TestChain, key

# Before any test module is collected: a seeded Hypothesis run draws the same input whatever ran before it.
source_constants.pin()


@pytest.fixture
def alice():
    return key(1)


@pytest.fixture
def bob():
    return key(2)


@pytest.fixture
def chain(tmp_path, alice, bob):
    c = TestChain(tmp_path / "db", balances={alice: 1_000_000, bob: 1_000})
    yield c
    c.close()
