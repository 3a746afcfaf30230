"""In-process limits of the GraphQL server over a real LMDB: reader slots, WebSocket caps, broadcasts.

The broadcaster is replaced by a recorder (this is a test of the server's checks, not of
CometBFT), so "not forwarded" is observed directly; ``tests/hostile/test_subscriptions_and_broadcasts.py``
runs the same abuse against a real node.
"""

from __future__ import annotations

import asyncio
import base64
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from starlette.websockets import WebSocketDisconnect

from abci_app.chain.domain.accounts.messages import Transfer
from graphql_api import rpc as rpc_module
from graphql_api.rpc import NodeRpc, RpcUnavailable
from graphql_api.ws import TRY_AGAIN_LATER
from tests.graphql.conftest import make_api
from tests.graphql.test_subscriptions import open_ws, subscribe
from tests.support.chain import key

pytestmark = pytest.mark.timeout(60)
IDLE = "subscription { newBlocks(fromHeight: 1000000000) { number } }"
BROADCAST = "mutation($tx: String!) { broadcastTransaction(tx: $tx) { hash success } }"


class Recorder:
    """Stands in for ``NodeRpc``: records what would have been forwarded, answers CheckTx OK."""

    def __init__(self) -> None:
        self.sent: list[tuple[bytes, str]] = []

    async def send(self, raw: bytes, mode: str) -> dict:
        self.sent.append((raw, mode))
        return {"code": 0, "log": "", "codespace": "", "hash": "AB" * 32}

    async def close(self) -> None:
        pass


def reader_slots(store) -> int:
    """Return how many LMDB reader slots are owned (by any process) right now."""
    return len(store.env.readers().strip().splitlines()) - 1


def metric(client, name: str) -> float:
    for line in client.get("/metrics").text.splitlines():
        if line.startswith(name + " ") or line.startswith(name + "{"):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def wait_for_metric(client, name: str, value: float) -> None:
    """Poll ``/metrics`` until ``name`` reaches ``value`` (bounded: fails after 20 s)."""
    deadline = time.monotonic() + 20
    while metric(client, name) < value:
        assert time.monotonic() < deadline, f"{name} never reached {value}"
        time.sleep(0.02)


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def test_idle_subscriptions_hold_no_lmdb_reader_slot(seeded):
    before = reader_slots(seeded.store)
    with make_api(seeded) as client:
        sockets = [open_ws(client) for _ in range(5)]
        for n, ws in enumerate(sockets):
            for i in range(10):
                subscribe(ws, f"{n}-{i}", IDLE)
        wait_for_metric(client, "samen_graphql_subscriptions_active", 50)
        held = reader_slots(seeded.store) - before
        for ws in sockets:
            ws.__exit__(None, None, None)
    assert held <= 1, f"{held} reader slots held by 50 idle subscriptions"


def test_every_reader_slot_taken_is_a_retryable_error_for_graphql_and_the_app_and_both_recover(seeded):
    with make_api(seeded) as client:
        hogs = []
        try:
            for _ in range(1 << 13):            # take every free slot (bounded by MAX_READERS)
                hogs.append(seeded.store.read_txn())
        except Exception as exc:
            assert type(exc).__name__ == "ReadersFull"
        body = client.post("/graphql", json={"query": "{ blocks(first: 1) { number } }"}).json()
        assert body["errors"][0]["extensions"] == {"code": "UNAVAILABLE", "retryable": True}
        assert client.get("/healthz").status_code == 200
        proven = seeded.app.query(f"/account/{key(1).address}", b"", prove=True)   # the app's read path
        assert proven.code != 0 and "try again" in proven.log
        for txn in hogs:
            txn.abort()
        hogs.clear()
        body = client.post("/graphql", json={"query": "{ blocks(first: 1) { number } }"}).json()
        assert "errors" not in body and body["data"]["blocks"]
        assert seeded.app.query(f"/account/{key(1).address}", b"", prove=True).code == 0


def test_a_connection_over_the_per_client_cap_is_closed_with_try_again_later(seeded):
    with make_api(seeded, max_connections_per_client=2) as client:
        kept = [open_ws(client) for _ in range(2)]
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == TRY_AGAIN_LATER and "from your address (at most 2)" in closed.value.reason
        kept.pop().__exit__(None, None, None)
        kept.append(open_ws(client))               # a slot given back is free again
        assert metric(client, 'samen_graphql_refused_total{kind="connection"}') == 1
        for ws in kept:
            ws.__exit__(None, None, None)


def test_a_connection_over_the_total_cap_is_closed_whoever_opens_it(seeded):
    with make_api(seeded, max_connections=2) as client:
        kept = [open_ws(client) for _ in range(2)]
        assert metric(client, "samen_graphql_websocket_connections") == 2
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
        assert closed.value.code == TRY_AGAIN_LATER and "on this server (at most 2)" in closed.value.reason
        for ws in kept:
            ws.__exit__(None, None, None)


def test_a_subscription_over_the_per_client_cap_is_refused_and_the_others_go_on(seeded):
    with make_api(seeded, max_subscriptions_per_client=3) as client:
        first, second = open_ws(client), open_ws(client)
        for i in range(2):
            subscribe(first, f"a{i}", IDLE)
        subscribe(second, "b0", IDLE)
        subscribe(second, "b1", IDLE)
        refused = second.receive_json()
        assert refused["id"] == "b1" and refused["type"] == "error"
        assert refused["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        assert "at most 3" in refused["payload"][0]["message"]
        first.send_json({"id": "a0", "type": "complete"})
        wait_for_metric_below(client, "samen_graphql_subscriptions_active", 3)
        subscribe(second, "b2", "subscription { newBlocks(fromHeight: 1) { number } }")
        assert second.receive_json()["type"] == "next"
        for ws in (first, second):
            ws.__exit__(None, None, None)


def wait_for_metric_below(client, name: str, value: float) -> None:
    deadline = time.monotonic() + 20
    while metric(client, name) >= value:
        assert time.monotonic() < deadline, f"{name} never fell below {value}"
        time.sleep(0.02)


@pytest.fixture
def broadcasting(seeded):
    with make_api(seeded, broadcast_burst=5, broadcast_rate=0.001) as client:
        recorder = Recorder()
        client.app.state.services.broadcaster = recorder
        yield client, recorder, seeded


def test_a_valid_transaction_is_forwarded_once(broadcasting):
    client, recorder, chain = broadcasting
    tx = chain.tx(key(1), Transfer(key(2).address, 5))
    body = client.post("/graphql", json={"query": BROADCAST, "variables": {"tx": b64(tx)}}).json()
    assert body["data"]["broadcastTransaction"]["success"] is True
    assert recorder.sent == [(tx, "SYNC")]


@pytest.mark.parametrize("query", [
    'mutation { a: broadcastTransaction(tx: "AA==") { hash } b: broadcastTransaction(tx: "AA==") { hash } }',
    'mutation { ...F ... on Mutation { again: broadcastTransaction(tx: "AA==") { hash } } } '
    'fragment F on Mutation { broadcastTransaction(tx: "AA==") { hash } }',
])
def test_a_document_naming_broadcast_twice_is_refused_before_anything_runs(broadcasting, query):
    client, recorder, _chain = broadcasting
    body = client.post("/graphql", json={"query": query}).json()
    assert body["data"] is None if "data" in body else True
    assert "may appear once per request" in body["errors"][0]["message"]
    assert recorder.sent == []


def test_a_batch_carrying_a_broadcast_is_refused_with_400(broadcasting):
    client, recorder, chain = broadcasting
    tx = b64(chain.tx(key(1), Transfer(key(2).address, 5)))
    batch = [{"query": BROADCAST, "variables": {"tx": tx}}, {"query": "{ blocks(first: 1) { number } }"}]
    response = client.post("/graphql", json=batch)
    assert response.status_code == 400 and "cannot be batched" in response.text
    assert recorder.sent == []


@pytest.mark.parametrize("raw, ledger_code", [(b"not a transaction", 2), (b"\x0a\x02\x08\x01", 13),
                                              (b"\x0a" + b"\x01" * 40_000, 5)])
def test_bytes_that_are_not_a_samen_transaction_are_refused_with_checktx_code(broadcasting, raw, ledger_code):
    client, recorder, _chain = broadcasting
    body = client.post("/graphql", json={"query": BROADCAST, "variables": {"tx": b64(raw)}}).json()
    extensions = body["errors"][0]["extensions"]
    assert extensions == {"code": "BAD_TRANSACTION", "codespace": "tx", "ledgerCode": ledger_code}, body
    assert recorder.sent == []


def test_text_that_is_not_base64_is_refused(broadcasting):
    client, recorder, _chain = broadcasting
    body = client.post("/graphql", json={"query": BROADCAST, "variables": {"tx": "%%%"}}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_TRANSACTION"
    assert recorder.sent == []


def test_past_the_burst_broadcasts_are_rate_limited_and_not_forwarded(broadcasting):
    client, recorder, chain = broadcasting
    answers = []
    for n in range(7):
        tx = b64(chain.tx(key(1), Transfer(key(2).address, 1 + n), sequence=n))
        answers.append(client.post("/graphql", json={"query": BROADCAST, "variables": {"tx": tx}}).json())
    assert [("errors" in a) for a in answers] == [False] * 5 + [True] * 2
    limited = answers[-1]["errors"][0]["extensions"]
    assert limited["code"] == "RATE_LIMITED" and limited["retryable"] and limited["retryAfterSeconds"] > 0
    assert len(recorder.sent) == 5


def test_commit_mode_switched_off_is_refused_and_not_forwarded(seeded):
    with make_api(seeded, broadcast_commit="off") as client:
        recorder = Recorder()
        client.app.state.services.broadcaster = recorder
        tx = b64(seeded.tx(key(1), Transfer(key(2).address, 5)))
        body = client.post("/graphql", json={"query": "mutation($tx: String!) { broadcastTransaction(tx: $tx, "
                                                      "mode: COMMIT) { hash } }", "variables": {"tx": tx}}).json()
        assert body["errors"][0]["extensions"] == {"code": "COMMIT_DISABLED"}
        assert recorder.sent == []


class BlockingRecorder(Recorder):
    """A recorder whose COMMIT answers wait until ``release`` is set (a block that is slow to come)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    async def send(self, raw: bytes, mode: str) -> dict:
        self.sent.append((raw, mode))
        await asyncio.to_thread(self.release.wait, 30)
        return {"check_tx": {"code": 0}, "tx_result": {"code": 0}, "height": "9", "hash": "AB" * 32}


def test_commit_waits_past_the_per_client_cap_are_refused_while_the_others_wait(seeded):
    commit = "mutation($tx: String!) { broadcastTransaction(tx: $tx, mode: COMMIT) { blockNumber } }"
    with make_api(seeded) as client:
        recorder = BlockingRecorder()
        client.app.state.services.broadcaster = recorder
        txs = [b64(seeded.tx(key(1), Transfer(key(2).address, 1 + n), sequence=n)) for n in range(3)]

        def post(tx: str) -> dict:
            return client.post("/graphql", json={"query": commit, "variables": {"tx": tx}}).json()

        with ThreadPoolExecutor(2) as pool:
            waiting = [pool.submit(post, tx) for tx in txs[:2]]
            deadline = time.monotonic() + 20
            while len(recorder.sent) < 2:
                assert time.monotonic() < deadline, "the two COMMITs never reached the broadcaster"
                time.sleep(0.01)
            refused = post(txs[2])
            recorder.release.set()
            answers = [w.result(30) for w in waiting]
        assert refused["errors"][0]["extensions"] == {"code": "LIMIT_EXCEEDED", "retryable": True}
        assert [a["data"]["broadcastTransaction"]["blockNumber"] for a in answers] == [9, 9]
        assert len(recorder.sent) == 2
        assert post(txs[2])["data"]["broadcastTransaction"]["blockNumber"] == 9     # slots given back


def test_a_commit_broadcast_waits_at_most_commit_wait_for_the_node(monkeypatch):
    async def scenario() -> str:
        async def silent(reader, writer):      # a node RPC that accepts and never answers
            await reader.read(1 << 16)
            await asyncio.sleep(30)

        server = await asyncio.start_server(silent, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        rpc = NodeRpc(f"http://127.0.0.1:{port}")
        try:
            await rpc.send(b"tx", "COMMIT")
        except RpcUnavailable as exc:
            return str(exc)
        finally:
            await rpc.close()
            server.close()
        return "answered"

    monkeypatch.setattr(rpc_module, "COMMIT_WAIT", 0.3)
    message = asyncio.run(scenario())
    assert "within 0.3s" in message or "ReadTimeout" in message, message


@pytest.mark.parametrize("accept", ["application/json", "multipart/mixed;subscriptionSpec=1.0, application/json",
                                    "text/event-stream"])
def test_a_subscription_over_plain_http_is_refused_with_400(seeded, accept):
    with make_api(seeded) as client:
        response = client.post("/graphql", json={"query": IDLE}, headers={"accept": accept})
        assert response.status_code == 400 and "subscriptions are not allowed" in response.text
