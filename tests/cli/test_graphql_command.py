"""``samen graphql``: the read-only GraphQL server alone against a node home."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.support.chain import key
from tests.support.node import wait_until
from tests.support.procs import free_port

pytestmark = pytest.mark.node


def _answer(url: str, query: str) -> dict | None:
    try:
        return httpx.post(url, json={"query": query}, timeout=5).json()
    except httpx.HTTPError:
        return None


def test_samen_graphql_serves_the_committed_state_of_a_running_node(node_factory):
    holder = key(7).address
    node = node_factory(accounts=[(holder, 77)]).start()
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "abci_app.tools.cli", "graphql", "--home", str(node.home),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/graphql"
        query = '{ account(id: "%s") { balance } _meta { block { number } } }' % holder
        wait_until(lambda: _answer(url, query) is not None, 60, "samen graphql to answer")
        data = _answer(url, query)["data"]
        assert data["account"]["balance"] == "77" and data["_meta"]["block"]["number"] >= 1
    finally:
        proc.terminate()
        proc.wait(15)


def test_samen_graphql_refuses_a_folder_that_is_not_a_node_home(tmp_path):
    result = subprocess.run([sys.executable, "-m", "abci_app.tools.cli", "graphql", "--home", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: {tmp_path.resolve()} is not a node home (no config/app.toml): run `samen init` first"
