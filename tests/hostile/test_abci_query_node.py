"""Hostile ``abci_query`` calls through CometBFT's RPC on a real node: answered with a code, never a halt.

Anyone who reaches the RPC port can send these (``curl '127.0.0.1:26657/abci_query?path="/org/²"'``
stopped a validator before).  Each is answered with its code; afterwards the node still
commits blocks (``hostile.assert_healthy``), the app process is alive and its log holds
no traceback.  Uses the suite's shared node (``tests/hostile/conftest.py``).
"""

from __future__ import annotations

import httpx

from abci_app.chain.errors import NotFound, UnknownQuery
from tests.support.node import signer_for
from abci_app.chain.state import versions as state_versions
from tests.support.rejections import pair

ALICE = signer_for("alice")
UNKNOWN = (UnknownQuery.codespace, UnknownQuery.code)
HOSTILE = [   # (path, data, height, prove) -> expected (codespace, code)
    (("/org/²", b"", 0, False), UNKNOWN),
    (("/proposal/٣", b"", 0, False), UNKNOWN),
    (("/request/99999999999999999999", b"", 0, False), UNKNOWN),
    (("/store", b"", 0, False), UNKNOWN),
    (("/store", b"", 0, True), UNKNOWN),
    (("/store", b"\x00" * 400, 1, True), UNKNOWN),
    (("/store", b"k" * 600, 0, False), UNKNOWN),
    (("/org/treasury/" + "x" * 1000, b"", 0, False), UNKNOWN),
    (("/org/1\x00", b"", 0, False), UNKNOWN),
    (("/account/" + ALICE.address, b"", 1 << 62, True), pair(state_versions.HeightNotAvailable)),
    (("/store", b"no such key", 0, True), (NotFound.codespace, NotFound.code)),
]


def rpc_query(node, path: str, data: bytes, height: int, prove: bool) -> tuple[str, int]:
    answer = node.rpc.call("abci_query", path=path, data=data.hex(), height=str(height), prove=prove)["response"]
    return answer.get("codespace", ""), int(answer.get("code", 0))


def test_hostile_abci_queries_are_answered_with_codes_and_the_node_keeps_committing(hostile):
    node = hostile.node
    balance = node.balance(ALICE.address)
    for (path, data, height, prove), expected in HOSTILE:
        assert rpc_query(node, path, data, height, prove) == expected, path[:60]
    raw = httpx.get(f"{hostile.rpc_url}/abci_query", params={"path": '"/org/²"'}, timeout=10).json()
    assert (raw["result"]["response"]["codespace"], raw["result"]["response"]["code"]) == UNKNOWN

    hostile.assert_healthy()
    assert node.balance(ALICE.address) == balance
    assert "Traceback" not in node.read_log("abci")
    assert not node.failure_lines()
