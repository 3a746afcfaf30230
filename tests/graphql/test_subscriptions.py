"""Subscriptions over graphql-transport-ws: each new block, events, resuming, the per-connection cap."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.accounts.messages import Transfer
from tests.graphql.conftest import SEED_BLOCKS, make_api
from tests.support.chain import key

PROTOCOL = ["graphql-transport-ws"]
pytestmark = pytest.mark.timeout(60)


def open_ws(client):
    ws = client.websocket_connect("/graphql", subprotocols=PROTOCOL)
    ws.__enter__()
    ws.send_json({"type": "connection_init"})
    assert ws.receive_json()["type"] == "connection_ack"
    return ws


def subscribe(ws, op_id: str, query: str) -> None:
    ws.send_json({"id": op_id, "type": "subscribe", "payload": {"query": query}})


def next_payload(ws) -> dict:
    message = ws.receive_json()
    assert message["type"] == "next", message
    return message


def test_new_blocks_resumes_from_a_height_and_then_receives_each_new_block(seeded):
    with make_api(seeded) as client:
        ws = open_ws(client)
        subscribe(ws, "1", "subscription { newBlocks(fromHeight: %d) { number numTxs } }" % (SEED_BLOCKS - 1))
        got = [next_payload(ws)["payload"]["data"]["newBlocks"]["number"] for _ in range(2)]
        assert got == [SEED_BLOCKS - 1, SEED_BLOCKS]
        for n in range(1, 4):
            seeded.block(seeded.tx(key(2), Transfer(key(3).address, n)))
            block = next_payload(ws)["payload"]["data"]["newBlocks"]
            assert block == {"number": SEED_BLOCKS + n, "numTxs": 1}
        ws.send_json({"id": "1", "type": "complete"})
        ws.__exit__(None, None, None)


def test_events_stream_filters_by_type_and_attribute(seeded):
    carol = key(3).address
    with make_api(seeded) as client:
        ws = open_ws(client)
        subscribe(ws, "e", 'subscription { events(fromHeight: %d, where: {type: "transfer", attributes_contains: '
                           '[{key: "recipient", value: "%s"}]}) { blockNumber attributes { key value } } }'
                  % (SEED_BLOCKS, carol))
        assert next_payload(ws)["payload"]["data"]["events"]["blockNumber"] == SEED_BLOCKS
        seeded.block(seeded.tx(key(2), Transfer(key(1).address, 1)), seeded.tx(key(2), Transfer(carol, 7)))
        event = next_payload(ws)["payload"]["data"]["events"]
        assert event["blockNumber"] == SEED_BLOCKS + 1
        assert {"key": "amount", "value": "7"} in event["attributes"]
        ws.__exit__(None, None, None)


def test_subscriptions_beyond_the_per_connection_cap_are_refused(seeded):
    with make_api(seeded, max_subscriptions_per_connection=2) as client:
        ws = open_ws(client)
        for op_id in ("a", "b", "c"):
            subscribe(ws, op_id, "subscription { newBlocks { number } }")
        message = ws.receive_json()
        assert message["type"] == "error" and message["id"] == "c"
        ws.__exit__(None, None, None)


def test_the_metrics_endpoint_counts_operations(seeded):
    with make_api(seeded) as client:
        client.post("/graphql", json={"query": "{ _meta { appHash } }"})
        text = client.get("/metrics").text
        assert 'samen_graphql_operations_total{outcome="ok",type="query"} 1.0' in text
        assert client.get("/healthz").json()["status"] == "ok"


def test_a_repeated_query_is_answered_from_the_cache_until_a_new_block_commits(seeded):
    query = {"query": '{ account(id: "%s") { balance } }' % key(3).address}
    with make_api(seeded) as client:
        first, second = (client.post("/graphql", json=query).json() for _ in range(2))
        assert first == second
        assert "samen_graphql_response_cache_hits_total 1.0" in client.get("/metrics").text
        seeded.block(seeded.tx(key(2), Transfer(key(3).address, 5)))
        third = client.post("/graphql", json=query).json()
        assert int(third["data"]["account"]["balance"]) == int(first["data"]["account"]["balance"]) + 5
        assert "samen_graphql_response_cache_hits_total 1.0" in client.get("/metrics").text
