"""Signed transfers against a real CometBFT node: commit, replay rejection, bad input."""

from __future__ import annotations

import random

import pytest

from abci_app.chain import txcodec
from abci_app.tools.client.rpc import RpcError
from abci_app.chain.errors import BadSignature, MalformedTx, SequenceMismatch, WrongChain
from tests.support.node import signer_for, transfer_tx

pytestmark = pytest.mark.node

ALICE, BOB = signer_for("alice"), signer_for("bob")


@pytest.fixture
def node(node_factory):
    return node_factory(accounts=[(ALICE.address, 1_000_000), (BOB.address, 500)]).start()


def test_a_signed_transfer_is_committed_and_moves_the_balances(node):
    tx = transfer_tx(ALICE, BOB.address, 1234, sequence=0, memo="thanks")
    result = node.broadcast_commit(tx)
    assert result["check_tx"]["code"] == 0
    assert result["tx_result"]["code"] == 0, result["tx_result"]
    assert int(result["height"]) >= 1
    assert node.balance(ALICE.address) == 1_000_000 - 1234
    assert node.balance(BOB.address) == 500 + 1234
    assert node.sequence(ALICE.address) == 1
    found = node.wait_for_tx(txcodec.tx_hash(tx), timeout=10)
    assert int(found["height"]) == int(result["height"])


def test_the_same_bytes_broadcast_again_are_rejected(node):
    tx = transfer_tx(ALICE, BOB.address, 10, sequence=0)
    assert node.broadcast_commit(tx)["tx_result"]["code"] == 0
    with pytest.raises(RpcError, match="already exists in cache"):
        node.broadcast_sync(tx)
    # /check_tx bypasses the mempool cache and reaches the app: the sequence is used up.
    answer = node.check_tx(tx)
    assert (answer["codespace"], answer["code"]) == (SequenceMismatch.codespace, SequenceMismatch.code)
    assert "expected 1, got 0" in answer["log"]
    assert node.balance(BOB.address) == 510


def _bad_signature(tx: bytes) -> bytes:
    decoded = txcodec.decode_tx(tx)
    flipped = bytes([decoded.signature[0] ^ 1]) + decoded.signature[1:]
    return txcodec.encode_tx(decoded.body, flipped)


@pytest.mark.parametrize("case, make, error", [
    ("random bytes", lambda: random.Random(7).randbytes(64), MalformedTx),
    ("a bad signature", lambda: _bad_signature(transfer_tx(ALICE, BOB.address, 5, 0)), BadSignature),
    ("a transaction for another chain", lambda: transfer_tx(ALICE, BOB.address, 5, 0, chain_id="other"), WrongChain),
])
def test_bad_input_over_rpc_is_rejected_with_its_code_and_changes_nothing(node, case, make, error):
    answer = node.broadcast_sync(make())
    assert (answer["codespace"], answer["code"]) == (error.codespace, error.code), (case, answer)
    assert node.balance(ALICE.address) == 1_000_000
    assert node.sequence(ALICE.address) == 0
