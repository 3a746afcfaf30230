"""Against a real node: cometbft + the app + ``python -m graphql_api`` as three processes."""

from __future__ import annotations

import asyncio
import base64
import json
import shutil
import tempfile
import threading
from pathlib import Path

import httpx
import pytest
import websockets

from tests.graphql.server import GraphQLServer
from abci_app.chain.domain.market.messages import AcceptOffer
from abci_app.chain.domain.organizations.messages import THRESHOLD, CreateOrganization, OrgMember, OrgPolicy
from tests.support.market import offer_msg, request_msg
from tests.support.node import CHAIN_ID, TestNode, signer_for, transfer_tx

pytestmark = [pytest.mark.node, pytest.mark.timeout(180)]
NAMES = ("alice", "bob", "carol", "dave")         # stream transfers
MARKET = ("erin", "frank")                        # make a deal
SUPPLY = 6 * 1_000_000
CONSISTENCY_READS = 1000
CONCURRENCY = 20


@pytest.fixture(scope="module")
def stack():
    root = Path(tempfile.mkdtemp(prefix="sng", dir="/tmp"))
    node = TestNode(root, [(signer_for(n).address, 1_000_000) for n in NAMES + MARKET]).init()
    server = None
    try:
        node.start(min_height=2)
        server = GraphQLServer(node).start()
        yield node, server
    finally:
        if server is not None:
            server.stop()
        node.cleanup()
        shutil.rmtree(root, ignore_errors=True)


class Sequences:
    def __init__(self, node: TestNode) -> None:
        self.next = {n: node.sequence(signer_for(n).address) for n in NAMES}

    def transfer(self, sender: str, to: str, amount: int) -> bytes:
        seq = self.next[sender]
        self.next[sender] = seq + 1
        return transfer_tx(signer_for(sender), signer_for(to).address, amount, seq)


def test_broadcast_transaction_commits_a_transfer_that_queries_then_show(stack):
    node, server = stack
    tx = Sequences(node).transfer("alice", "bob", 1234)
    result = server.data("mutation($tx: String!) { broadcastTransaction(tx: $tx, mode: COMMIT) "
                         "{ hash success code blockNumber } }", {"tx": base64.b64encode(tx).decode()})
    sent = result["broadcastTransaction"]
    assert sent["success"] and sent["blockNumber"] > 0
    found = server.data('{ transaction(hash: "%s") { blockNumber signer action success '
                        'events { type attributes { key value } } } }' % sent["hash"])["transaction"]
    assert found["blockNumber"] == sent["blockNumber"] and found["action"] == "Transfer"
    assert {"key": "amount", "value": "1234"} in found["events"][0]["attributes"]
    mine = server.data('{ transactions(where: {signer: "%s"}) { hash } }' % signer_for("alice").address)
    assert sent["hash"] in [t["hash"] for t in mine["transactions"]]


def commit(server, signer_name: str, sequence: int, action) -> dict:
    tx = signer_for(signer_name).sign_tx(CHAIN_ID, sequence, action)
    sent = server.data("mutation($tx: String!) { broadcastTransaction(tx: $tx, mode: COMMIT) "
                       "{ success log blockNumber } }", {"tx": base64.b64encode(tx).decode()})
    assert sent["broadcastTransaction"]["success"], sent
    return sent["broadcastTransaction"]


def test_collaboration_objects_committed_through_the_node_are_served(stack):
    node, server = stack
    erin, frank = (signer_for(n).address for n in MARKET)
    seq = {n: node.sequence(signer_for(n).address) for n in MARKET}
    now = server.data("{ _meta { block { timestamp } } }")["_meta"]["block"]["timestamp"]
    commit(server, "erin", seq["erin"], CreateOrganization("Buurt", "", (OrgMember(erin, 1), OrgMember(frank, 1)),
                                                            OrgPolicy(THRESHOLD, 1, 3600, 0, False)))
    commit(server, "erin", seq["erin"] + 1, request_msg(now))
    request_id = server.data('{ requests(where: {requester: "%s"}) { id } }' % erin)["requests"][0]["id"]
    commit(server, "frank", seq["frank"], offer_msg(int(request_id), now))
    offer_id = server.data('{ offers(where: {request: "%s"}) { id } }' % request_id)["offers"][0]["id"]
    commit(server, "erin", seq["erin"] + 2, AcceptOffer(int(offer_id)))
    data = server.data('{ organizations(where: {member: "%s"}) { name totalWeight } '
                       'agreements(where: {party: "%s"}) { requester provider price escrow status } '
                       'requests(where: {requester: "%s"}) { status } }' % (frank, frank, erin))
    assert data["organizations"] == [{"name": "Buurt", "totalWeight": "2"}]
    assert data["agreements"] == [{"requester": erin, "provider": frank, "price": "800", "escrow": "800",
                                   "status": "open"}]
    assert data["requests"] == [{"status": "accepted"}]


def test_broadcast_of_garbage_is_refused_with_the_code_checktx_would_give(stack):
    _node, server = stack
    result = server.query('mutation { broadcastTransaction(tx: "%s") { checkCode success blockNumber } }'
                          % base64.b64encode(b"not a transaction").decode())
    assert result["errors"][0]["extensions"] == {"code": "BAD_TRANSACTION", "codespace": "tx", "ledgerCode": 2}


def test_validators_come_from_the_node_rpc(stack):
    node, server = stack
    expected = node.rpc.validators()["validators"]
    got = server.data("{ validators { totalVotingPower validators { address votingPower } } }")["validators"]
    assert [v["address"] for v in got["validators"]] == [v["address"].lower() for v in expected]
    assert int(got["totalVotingPower"]) == sum(int(v["voting_power"]) for v in expected)


def test_block_signers_are_the_validators_in_the_next_blocks_commit(stack):
    node, server = stack
    node.wait_for_height(4)
    blocks = server.data("{ blocks(first: 3, orderBy: number, orderDirection: desc) { number signers } }")["blocks"]
    tip, earlier = blocks[0], blocks[1:]
    validator = node.rpc.validators()["validators"][0]["address"].lower()
    for b in earlier:  # their commits are in the block after them
        commit = node.rpc.call("commit", height=str(b["number"]))["signed_header"]["commit"]
        signed = [s["validator_address"].lower() for s in commit["signatures"] if s["block_id_flag"] == 2]
        assert b["signers"] == signed == [validator]
    assert tip["signers"] is None or tip["signers"] == [validator]  # null until the next block commits it


def test_meta_matches_the_app_hash_cometbft_records_in_the_next_header(stack):
    node, server = stack
    meta = server.data("{ _meta { block { number } appHash } }")["_meta"]
    height = meta["block"]["number"]
    node.wait_for_height(height + 1)
    header = node.rpc.block(height + 1)["block"]["header"]
    assert header["app_hash"].lower() == meta["appHash"]


def test_block_pages_stay_contiguous_while_new_blocks_arrive(stack):
    node, server = stack
    seen, cursor = [], None
    for _ in range(6):
        page = server.data("query($c: String) { blocks(first: 3, after: $c) { number cursor } }", {"c": cursor})
        seen += [b["number"] for b in page["blocks"]]
        cursor = page["blocks"][-1]["cursor"]
        node.wait_for_height(node.height() + 1)
    assert seen == list(range(1, 19))


def test_a_subscription_receives_each_new_block_in_order(stack):
    _node, server = stack

    async def collect(n: int) -> list[int]:
        url = server.url.replace("http://", "ws://")
        async with websockets.connect(url, subprotocols=["graphql-transport-ws"], open_timeout=10) as ws:
            await ws.send(json.dumps({"type": "connection_init"}))
            assert json.loads(await asyncio.wait_for(ws.recv(), 10))["type"] == "connection_ack"
            await ws.send(json.dumps({"id": "1", "type": "subscribe",
                                      "payload": {"query": "subscription { newBlocks { number } }"}}))
            got = []
            while len(got) < n:
                message = json.loads(await asyncio.wait_for(ws.recv(), 20))
                if message["type"] == "next":
                    got.append(message["payload"]["data"]["newBlocks"]["number"])
            return got

    numbers = asyncio.run(collect(5))
    assert numbers == list(range(numbers[0], numbers[0] + 5))


def stream_transfers(node: TestNode, stop: threading.Event) -> int:
    """Send transfers around the four accounts until ``stop``; return how many were accepted."""
    sequences, sent, i = Sequences(node), 0, 0
    while not stop.is_set() and sent < 2000:
        sender, to = NAMES[i % 4], NAMES[(i + 1) % 4]
        answer = node.broadcast_sync(sequences.transfer(sender, to, 1 + i % 7))
        sent += int(answer.get("code", 1)) == 0
        i += 1
    return sent


def test_concurrent_reads_each_see_exactly_one_committed_block(stack):
    node, server = stack
    # ``first`` varies per read so the per-block response cache does not answer most of them.
    query = ("query($n: Int!) { _meta { block { number } } status { height supply } "
             "accounts(first: $n) { balance } }")
    stop, counted = threading.Event(), {}
    sender = threading.Thread(target=lambda: counted.setdefault("sent", stream_transfers(node, stop)))
    start_height = node.height()
    sender.start()
    try:
        answers = asyncio.run(_read_many(server.url, query, CONSISTENCY_READS, CONCURRENCY))
    finally:
        stop.set()
        sender.join(60)
    heights = set()
    for body in answers:
        data = body["data"]
        assert data["_meta"]["block"]["number"] == data["status"]["height"]
        assert sum(int(a["balance"]) for a in data["accounts"]) == int(data["status"]["supply"]) == SUPPLY
        heights.add(data["status"]["height"])
    assert len(answers) == CONSISTENCY_READS and counted["sent"] > 0
    assert len(heights) > 1 and min(heights) >= start_height


async def _read_many(url: str, query: str, total: int, concurrency: int) -> list[dict]:
    limit = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=30.0) as client:
        async def one(i: int) -> dict:
            async with limit:
                response = await client.post(url, json={"query": query, "variables": {"n": 1000 - i % 900}})
                return response.json()

        return await asyncio.gather(*(one(i) for i in range(total)))
