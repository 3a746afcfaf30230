"""Crash recovery against a real CometBFT node: kill -9 under load, and the app's fail points."""

from __future__ import annotations

import threading

import pytest

from abci_app.chain import txcodec
from abci_app.tools.client.rpc import ClientError, RpcClient
from tests.support.node import signer_for, transfer_tx, wait_until

pytestmark = pytest.mark.node

GENESIS_BALANCE = 100_000
SINK = signer_for("sink")


class TransferStream(threading.Thread):
    """Send transfers from one key with ``broadcast_tx_commit`` until stopped or the node is gone.

    ``acked`` holds (hash, amount) of transfers whose commit the node acknowledged
    with code 0; ``attempted`` holds every (hash, amount) sent, acknowledged or not.
    """

    def __init__(self, rpc_url: str, signer, to: str, limit: int = 200) -> None:
        super().__init__(daemon=True)
        self.rpc_url, self.signer, self.to, self.limit = rpc_url, signer, to, limit
        self.acked: list[tuple[bytes, int]] = []
        self.attempted: list[tuple[bytes, int]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        with RpcClient(self.rpc_url, timeout=15) as rpc:
            for sequence in range(self.limit):
                if self.halt.is_set():
                    return
                amount = sequence + 1
                tx = transfer_tx(self.signer, self.to, amount, sequence)
                self.attempted.append((txcodec.tx_hash(tx), amount))
                try:
                    result = rpc.broadcast_tx_commit(tx, timeout=15)
                except ClientError:
                    return
                if result["check_tx"]["code"] != 0 or result["tx_result"]["code"] != 0:
                    return
                self.acked.append((txcodec.tx_hash(tx), amount))


def committed_amounts(node, stream: TransferStream) -> list[int]:
    """Return the amounts of the stream's transfers that are on the chain with code 0."""
    amounts = []
    for tx_hash, amount in stream.attempted:
        found = node.rpc.tx(tx_hash)
        if found is not None and int(found["tx_result"]["code"]) == 0:
            amounts.append(amount)
    return amounts


def test_kill_9_of_the_app_under_transfers_keeps_every_acknowledged_transfer(node_factory):
    senders = [signer_for(f"sender-{i}") for i in range(3)]
    node = node_factory(accounts=[(s.address, GENESIS_BALANCE) for s in senders]).start()
    streams = [TransferStream(node.rpc_url, s, SINK.address) for s in senders]
    for stream in streams:
        stream.start()
    wait_until(lambda: sum(len(s.acked) for s in streams) >= 9, 60, "nine acknowledged transfers")
    node.kill_app()
    node.wait_cometbft_exit(30)          # CometBFT stops when it loses its app
    for stream in streams:
        stream.halt.set()
        stream.join(30)
    height_before = node.last_seen_height
    mark = node.log_mark()
    node.start_app()
    node.start_cometbft()
    node.wait_for_height(height_before + 3, 60)
    assert node.failure_lines(since=mark) == []
    total_sent = 0
    for sender, stream in zip(senders, streams):
        on_chain = committed_amounts(node, stream)
        assert set(amount for _, amount in stream.acked) <= set(on_chain), "an acknowledged transfer was lost"
        assert node.balance(sender.address) == GENESIS_BALANCE - sum(on_chain)
        assert node.sequence(sender.address) == len(on_chain)
        total_sent += sum(on_chain)
    assert node.balance(SINK.address) == total_sent
    assert node.app_hash_mismatches(up_to=node.height()) == []
    resumed = transfer_tx(senders[0], SINK.address, 7, node.sequence(senders[0].address))
    assert node.broadcast_commit(resumed)["tx_result"]["code"] == 0


# How CometBFT's handshake must catch up after each crash window (v0.38 replay modes).
REPLAY = {"finalize_block": "Replay last block using real app", "after_commit": "Replay last block using mock app"}


@pytest.mark.parametrize("point", ["finalize_block", "after_commit"])
def test_a_crash_at_a_fail_point_recovers_with_equal_app_hashes(node_factory, point):
    alice = signer_for("alice")
    node = node_factory(accounts=[(alice.address, GENESIS_BALANCE)])
    crash_height = 10
    node.start_app(fail_point=f"{point}@{crash_height}")
    node.start_cometbft()
    node.wait_for_height(1, 30)
    stream = TransferStream(node.rpc_url, alice, SINK.address)
    stream.start()
    assert node.wait_app_exit(60) == 70
    assert f"fail point {point}@{crash_height} reached" in node.read_log("abci")
    node.wait_cometbft_exit(30)
    stream.halt.set()
    stream.join(30)
    mark = node.log_mark()
    node.start_app()
    node.start_cometbft()
    tip = node.wait_for_height(crash_height + 3, 60)
    assert node.failure_lines(since=mark) == []
    assert REPLAY[point] in node.read_log("cometbft")[mark:]
    assert node.app_hash_mismatches(up_to=tip) == []
    on_chain = committed_amounts(node, stream)
    assert len(on_chain) >= 1, "the stream committed nothing before the crash"
    assert node.balance(alice.address) == GENESIS_BALANCE - sum(on_chain)
    assert node.balance(SINK.address) == sum(on_chain)


def test_kill_9_of_cometbft_alone_and_its_restart_resume_the_chain_with_the_same_app(node_factory):
    alice = signer_for("alice")
    node = node_factory(accounts=[(alice.address, GENESIS_BALANCE)]).start()
    stream = TransferStream(node.rpc_url, alice, SINK.address)
    stream.start()
    wait_until(lambda: len(stream.acked) >= 3, 60, "three acknowledged transfers")
    node.kill_cometbft()
    stream.join(30)
    assert node.app.poll() is None, "the app must survive its consensus engine's death"
    mark = node.log_mark()
    node.start_cometbft()
    node.wait_for_height(node.last_seen_height + 3, 60)
    assert node.failure_lines(since=mark) == []
    on_chain = committed_amounts(node, stream)
    assert set(a for _, a in stream.acked) <= set(on_chain)
    assert node.balance(alice.address) == GENESIS_BALANCE - sum(on_chain)
    assert node.app_hash_mismatches(up_to=node.height()) == []


def test_a_clean_restart_of_both_processes_keeps_state_and_advances(node_factory):
    alice = signer_for("alice")
    node = node_factory(accounts=[(alice.address, GENESIS_BALANCE)]).start()
    assert node.broadcast_commit(transfer_tx(alice, SINK.address, 42, 0))["tx_result"]["code"] == 0
    node.restart()
    assert node.balance(SINK.address) == 42 and node.sequence(alice.address) == 1
    assert node.broadcast_commit(transfer_tx(alice, SINK.address, 8, 1))["tx_result"]["code"] == 0
    assert node.balance(SINK.address) == 50
