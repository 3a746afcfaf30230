"""Hostile WebSocket clients and broadcasters against the suite's real node and GraphQL server.

Findings 2 and 7 of issue 13: idle subscriptions filled LMDB's reader table shared with
the app (which then halted on its next proven query), and ``broadcastTransaction``
forwarded arbitrary bytes once per alias and batch entry.  Each test here connects from
loopback addresses of its own (``127.0.0.N``; Linux routes all of ``127/8`` to ``lo``),
so its per-client budgets do not touch the other tests' (they all use ``127.0.0.1``).
"""

from __future__ import annotations

import asyncio
import base64
import json
from contextlib import AsyncExitStack

import httpx
import websockets

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.adapter.storage.store import Store
from tests.support.node import CHAIN_ID, signer_for

PROTOCOL = ["graphql-transport-ws"]
IDLE = "subscription { newBlocks(fromHeight: 1000000000) { number } }"
BROADCAST = "mutation($tx: String!) { broadcastTransaction(tx: $tx) { hash success } }"
CONNECTIONS, PER_CONNECTION = 52, 10        # the finding's 520 idle subscriptions
ADDRESSES = [f"127.0.0.{n}" for n in range(11, 17)]     # at most 9 connections (90 subscriptions) each
TRY_AGAIN_LATER = 1013


async def open_ws(hostile, source: str):
    """Open a graphql-transport-ws connection from ``source`` and wait for connection_ack."""
    ws = await websockets.connect(hostile.ws_url, subprotocols=PROTOCOL, open_timeout=10, proxy=None,
                                  local_addr=(source, 0))
    await ws.send(json.dumps({"type": "connection_init"}))
    ack = json.loads(await asyncio.wait_for(ws.recv(), 10))
    assert ack["type"] == "connection_ack", ack
    return ws


def metric(hostile, name: str) -> float:
    text = hostile.http.get(f"{hostile.base_url}/metrics").text
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith(name + " ") or line.startswith(name + "{"))


async def wait_for_metric(hostile, name: str, value: float) -> None:
    """Poll ``/metrics`` until ``name`` reaches ``value`` (bounded: fails after 60 s)."""
    for _ in range(600):
        if metric(hostile, name) >= value:
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"{name} never reached {value}")


def reader_slots_of(hostile, pid: int) -> int:
    """Return the LMDB reader slots process ``pid`` owns in the node's environment right now."""
    store = Store(hostile.node.home / "data" / "samen", readonly=True)
    try:
        rows = store.env.readers().strip().splitlines()[1:]
    finally:
        store.close()
    return sum(1 for row in rows if int(row.split()[0]) == pid)


def proven_account_query(hostile) -> dict:
    address = signer_for("alice").address
    return hostile.node.rpc.call("abci_query", path=f"/account/{address}", data="", height="0",
                                 prove=True)["response"]


def test_520_idle_subscriptions_hold_no_reader_slot_and_the_node_keeps_committing_and_proving(hostile):
    async def scenario() -> int:
        async with AsyncExitStack() as stack:
            for n in range(CONNECTIONS):
                ws = await open_ws(hostile, ADDRESSES[n % len(ADDRESSES)])
                stack.push_async_callback(ws.close)
                for i in range(PER_CONNECTION):
                    await ws.send(json.dumps({"id": f"s{i}", "type": "subscribe", "payload": {"query": IDLE}}))
            await wait_for_metric(hostile, "samen_graphql_subscriptions_active", CONNECTIONS * PER_CONNECTION)
            held = reader_slots_of(hostile, hostile.pid)
            height = hostile.node.height()
            hostile.node.wait_for_height(height + 3)
            proven = proven_account_query(hostile)
            assert proven.get("code", 0) == 0 and proven.get("proofOps"), proven
            assert hostile.query("{ blocks(first: 1) { number } }")["data"]["blocks"]
            return held

    held = asyncio.run(scenario())
    assert held < 10, f"the GraphQL server holds {held} reader slots under 520 idle subscriptions"
    hostile.assert_healthy()


def test_connections_over_the_per_client_cap_are_closed_with_try_again_later(hostile):
    async def scenario() -> tuple[int | None, str]:
        async with AsyncExitStack() as stack:
            for _ in range(20):
                stack.push_async_callback((await open_ws(hostile, "127.0.0.21")).close)
            over = await websockets.connect(hostile.ws_url, subprotocols=PROTOCOL, open_timeout=10, proxy=None,
                                            local_addr=("127.0.0.21", 0))
            try:
                await asyncio.wait_for(over.recv(), 10)
            except websockets.ConnectionClosed as closed:
                code, reason = closed.rcvd.code, closed.rcvd.reason
            else:
                code, reason = None, "the 21st connection stayed open"
            stack.push_async_callback((await open_ws(hostile, "127.0.0.22")).close)   # another client is served
            return code, reason

    code, reason = asyncio.run(scenario())
    assert code == TRY_AGAIN_LATER, reason
    assert "too many WebSocket connections from your address (at most 20)" in reason
    hostile.assert_healthy()


def signed_transfer(sequence: int, amount: int) -> str:
    alice, bob = signer_for("alice"), signer_for("bob")
    return base64.b64encode(alice.sign_tx(CHAIN_ID, sequence, Transfer(bob.address, amount))).decode()


def test_aliased_and_batched_broadcasts_are_refused_and_nothing_is_forwarded(hostile):
    node = hostile.node
    alice = signer_for("alice").address
    sequence, forwarded = node.sequence(alice), metric(hostile, "samen_graphql_broadcasts_total")
    first, second = signed_transfer(sequence, 1), signed_transfer(sequence + 1, 2)
    aliased = hostile.query('mutation { a: broadcastTransaction(tx: "%s") { hash } '
                            'b: broadcastTransaction(tx: "%s") { hash } }' % (first, second))
    assert "may appear once per request" in aliased["errors"][0]["message"]
    batch = [{"query": BROADCAST, "variables": {"tx": tx}} for tx in (first, second)]
    response = hostile.post(batch)
    assert response.status_code == 400 and "cannot be batched" in response.text
    node.wait_for_height(node.height() + 2)
    assert node.sequence(alice) == sequence
    assert metric(hostile, "samen_graphql_broadcasts_total") == forwarded
    hostile.assert_healthy()


def test_undecodable_bytes_are_refused_without_reaching_cometbft(hostile):
    forwarded = metric(hostile, "samen_graphql_broadcasts_total")
    garbage = base64.b64encode(b"\xff" * (1 << 19)).decode()
    answer = hostile.query(BROADCAST, {"tx": garbage})
    assert answer["errors"][0]["extensions"]["code"] == "BAD_TRANSACTION", answer
    assert answer["errors"][0]["extensions"]["ledgerCode"] == 5          # larger than max_tx_bytes
    answer = hostile.query(BROADCAST, {"tx": base64.b64encode(b"\x0a\x03abc").decode()})
    assert answer["errors"][0]["extensions"]["code"] == "BAD_TRANSACTION", answer
    assert metric(hostile, "samen_graphql_broadcasts_total") == forwarded
    assert metric(hostile, 'samen_graphql_refused_total{kind="broadcast_invalid"}') >= 2
    hostile.assert_healthy()


def test_a_client_broadcasting_past_its_rate_is_refused_and_others_are_not(hostile):
    garbage = {"query": BROADCAST, "variables": {"tx": base64.b64encode(b"junk").decode()}}
    transport = httpx.HTTPTransport(local_address="127.0.0.31")
    limited = None
    with httpx.Client(transport=transport, timeout=30.0) as client:
        for _ in range(1000):       # bounded; the bucket (burst 20, 2/s) empties long before
            errors = client.post(hostile.graphql_url, json=garbage).json()["errors"]
            if errors[0]["extensions"]["code"] == "RATE_LIMITED":
                limited = errors[0]["extensions"]
                break
    assert limited is not None and limited["retryable"] and limited["retryAfterSeconds"] > 0
    other = hostile.query(BROADCAST, garbage["variables"])
    assert other["errors"][0]["extensions"]["code"] == "BAD_TRANSACTION"
    hostile.assert_healthy()


def test_subscriptions_over_the_per_client_cap_are_refused_and_the_client_keeps_the_rest(hostile):
    async def scenario() -> tuple[dict, dict]:
        async with AsyncExitStack() as stack:
            sockets = []
            for _ in range(11):
                ws = await open_ws(hostile, "127.0.0.41")
                stack.push_async_callback(ws.close)
                sockets.append(ws)
            for n, ws in enumerate(sockets[:10]):
                for i in range(PER_CONNECTION):
                    await ws.send(json.dumps({"id": f"{n}-{i}", "type": "subscribe", "payload": {"query": IDLE}}))
                await ws.send(json.dumps({"type": "ping"}))    # answered after the subscribes are counted
                assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "pong"
            over = sockets[10]
            await over.send(json.dumps({"id": "over", "type": "subscribe", "payload": {"query": IDLE}}))
            refused = json.loads(await asyncio.wait_for(over.recv(), 10))
            await sockets[0].send(json.dumps({"id": "0-0", "type": "complete"}))
            live = "subscription { newBlocks { number } }"
            for attempt in range(100):         # the completed one's slot comes back (bounded retries)
                await over.send(json.dumps({"id": f"again{attempt}", "type": "subscribe",
                                            "payload": {"query": live}}))
                answer = json.loads(await asyncio.wait_for(over.recv(), 30))
                if answer["type"] == "next":
                    break
                await asyncio.sleep(0.05)
            return refused, answer

    refused, answer = asyncio.run(scenario())
    assert refused["id"] == "over" and refused["type"] == "error", refused
    assert refused["payload"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert "from your address (at most 100)" in refused["payload"][0]["message"]
    assert answer["type"] == "next" and answer["payload"]["data"]["newBlocks"]["number"] > 0
    hostile.assert_healthy()
