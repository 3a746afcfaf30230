"""CheckTx semantics: the check state accumulates pending sequences of one signer until Commit,
and RECHECK after a block evicts transactions the block invalidated."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import SequenceMismatch
from abci_app.adapter.protos import abci
from abci_app.adapter.server import AbciServer
from tests.support.chain import TestChain, key, ok

ALICE, BOB = key(1), key(2)


@pytest.fixture
def chain(tmp_path):
    c = TestChain(tmp_path / "db", balances={ALICE: 1_000_000, BOB: 1_000})
    c.block()
    yield c
    c.close()


def transfer(chain, sequence: int, amount: int = 10) -> bytes:
    return ALICE.sign_tx(chain.chain_id, sequence, Transfer(BOB.address, amount))


def is_sequence_mismatch(outcome) -> bool:
    return (outcome.codespace, outcome.code) == (SequenceMismatch.codespace, SequenceMismatch.code)


def recheck(chain, raw: bytes):
    """Send ``raw`` through the server as CometBFT does after Commit (type RECHECK)."""
    request = abci.Request(check_tx=abci.RequestCheckTx(tx=raw, type=abci.CheckTxType.RECHECK))
    response, _ = AbciServer(chain.app).respond(request.SerializeToString())
    return abci.Response.FromString(response).check_tx   # the server encodes CheckTx answers itself


def test_check_tx_accepts_several_pending_transactions_of_one_signer_in_sequence(chain):
    assert [chain.check(transfer(chain, s)).code for s in range(5)] == [0] * 5


def test_check_tx_rejects_a_skipped_sequence_while_others_are_pending(chain):
    assert chain.check(transfer(chain, 0)).ok
    assert is_sequence_mismatch(chain.check(transfer(chain, 2)))
    assert chain.check(transfer(chain, 1)).ok


def test_check_tx_rejects_a_second_transaction_for_an_already_pending_sequence(chain):
    assert chain.check(transfer(chain, 0, amount=10)).ok
    assert is_sequence_mismatch(chain.check(transfer(chain, 0, amount=11)))


def test_check_state_spends_pending_balance_before_the_block(chain):
    poor = BOB.sign_tx(chain.chain_id, 0, Transfer(ALICE.address, 600))
    assert chain.check(poor).ok
    second = BOB.sign_tx(chain.chain_id, 1, Transfer(ALICE.address, 600))
    assert not chain.check(second).ok  # only 400 left in the check state


def test_recheck_evicts_a_transaction_whose_sequence_the_block_used(chain):
    mempool = [transfer(chain, 0), transfer(chain, 1), transfer(chain, 2)]
    assert all(chain.check(raw).ok for raw in mempool)
    other_seq1 = transfer(chain, 1, amount=99)  # reached the proposer through another node
    ok(chain.block(mempool[0], other_seq1))
    remaining = mempool[1:]  # CometBFT drops the included tx, then rechecks the rest in order
    answers = [recheck(chain, raw) for raw in remaining]
    assert answers[0].code == SequenceMismatch.code and answers[0].codespace == SequenceMismatch.codespace
    assert answers[1].code == 0


def test_recheck_keeps_pending_transactions_that_are_still_valid(chain):
    mempool = [transfer(chain, s) for s in range(4)]
    assert all(chain.check(raw).ok for raw in mempool)
    ok(chain.block(*mempool[:2]))
    assert [recheck(chain, raw).code for raw in mempool[2:]] == [0, 0]
    assert chain.check(transfer(chain, 4)).ok  # and new ones continue the sequence


def test_commit_resets_the_check_state_to_the_committed_state(chain):
    assert chain.check(transfer(chain, 0)).ok
    ok(chain.block())  # an empty block: the pending tx was not included
    assert chain.check(transfer(chain, 0)).ok  # sequence 0 is free again until rechecked
