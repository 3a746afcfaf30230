"""Fixtures: a TestChain-seeded LMDB served in-process through Starlette's TestClient.

The app reuses the chain's ``Store`` (py-lmdb forbids opening one environment twice
in a process); tests of the real server process live in ``test_node.py``.
"""

from __future__ import annotations

import dataclasses

import pytest
from starlette.testclient import TestClient

from abci_app.chain.domain.accounts.messages import Transfer
from graphql_api.app import build_app
from graphql_api.config import ApiConfig
from tests.support.chain import TestChain, key, ok

SEED_BLOCKS = 12


class Api:
    """A TestClient with a ``query`` helper that returns the decoded JSON body."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def query(self, text: str, variables: dict | None = None) -> dict:
        response = self.client.post("/graphql", json={"query": text, "variables": variables or {}})
        return response.json()

    def data(self, text: str, variables: dict | None = None) -> dict:
        body = self.query(text, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]


def seed(chain: TestChain, blocks: int = SEED_BLOCKS) -> None:
    """Commit ``blocks`` blocks: alice pays bob and carol each block, bob pays alice on even heights.

    Every third block also carries a transfer that fails (carol overspends).
    """
    alice, bob, carol = key(1), key(2), key(3)
    for h in range(1, blocks + 1):
        txs = [chain.tx(alice, Transfer(bob.address, 10 + h, f"b{h}")), chain.tx(alice, Transfer(carol.address, 1))]
        if h % 2 == 0:
            txs.append(chain.tx(bob, Transfer(alice.address, 5)))
        if h % 3 == 0:
            txs.append(chain.tx(carol, Transfer(bob.address, 10**9)))
        chain.block(*txs)


@pytest.fixture
def seeded(tmp_path):
    chain = TestChain(tmp_path / "db", balances={key(1): 1_000_000, key(2): 1_000, key(3): 0})
    seed(chain)
    yield chain
    chain.close()


def make_api(chain: TestChain, **overrides):
    config = dataclasses.replace(ApiConfig(store_dir=chain.path, rpc_url="", poll_interval=0.02), **overrides)
    return TestClient(build_app(config, store=chain.store), base_url="http://127.0.0.1")


@pytest.fixture
def api(seeded):
    with make_api(seeded) as client:
        yield Api(client)
