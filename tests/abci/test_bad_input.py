"""Bad input matrix: every kind of bad transaction is rejected in CheckTx AND in FinalizeBlock.

A faulty proposer can put any bytes in a block, so FinalizeBlock must reject the
same transactions CheckTx rejects, with the same stable ``(codespace, code)``,
without changing state, and still return exactly one result per transaction in
block order.  Each case builds its bytes on a fresh chain whose parameters demand
a minimum fee, so the fee rules are exercised as well.
"""

from __future__ import annotations

import pytest

from abci_app.chain import auth, errors, txcodec
from abci_app.chain.domain.accounts.messages import Transfer
from tests.abci.bad_txs import (ALICE, BOB, CAROL, CASES, DAVE, ERIN, MIN_FEE, STRANGER, Case, alice_transfer,
                                fee_below_minimum, make_chain)

SIGNERS = (ALICE, BOB, CAROL, DAVE, ERIN, STRANGER)
from tests.abci.helpers import check_view, committed_view
from tests.support.chain import TestChain, ok

by_name = pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)


def code_of(outcome) -> tuple[str, int]:
    return outcome.codespace, outcome.code


def expected(case: Case) -> tuple[str, int]:
    return case.error.codespace, case.error.code


@pytest.fixture
def fresh(tmp_path):
    chains = []

    def make(name: str = "db") -> TestChain:
        chains.append(make_chain(tmp_path / name))
        return chains[-1]

    yield make
    for chain in chains:
        chain.close()


@by_name
def test_check_tx_rejects_the_bad_transaction_and_changes_nothing(fresh, case):
    chain = fresh()
    raw = case.build(chain)
    committed, pending = committed_view(chain), check_view(chain)
    outcome = chain.check(raw)
    assert code_of(outcome) == expected(case), outcome.log
    assert outcome.log
    assert committed_view(chain) == committed
    assert check_view(chain) == pending


def charge(chain: TestChain, raw: bytes) -> bytes:
    """Return a valid transaction with ``raw``'s signer, sequence and fee whose action changes nothing
    (a transfer to oneself): what FinalizeBlock keeps of an authenticated transaction whose action fails."""
    tx = txcodec.decode_tx(raw)
    signer = next(k for k in SIGNERS if k.public_key == tx.public_key)
    return signer.sign_tx(chain.chain_id, tx.sequence, Transfer(signer.address, 1), fee=tx.fee)


@by_name
def test_finalize_block_rejects_the_bad_transaction_and_changes_nothing_but_an_authenticated_fee(fresh, case):
    chain, reference = fresh("with_bad"), fresh("reference")
    raw = case.build(chain)
    case.build(reference)
    height, app_hash, state = committed_view(chain)
    result = chain.block(raw)
    assert [code_of(t) for t in result.txs] == [expected(case)], result.txs[0].log
    assert result.txs[0].charged == case.charged
    if not case.charged:
        assert result.app_hash == app_hash
        assert committed_view(chain) == (height + 1, app_hash, state)
        return
    ok(reference.block(charge(reference, raw)))   # the same fee and sequence, by hand
    assert committed_view(chain) == committed_view(reference)
    assert result.txs[0].events == (auth.FeeCharged(BOB.address, BOB.address, MIN_FEE, 0),)


@by_name
def test_a_block_with_the_bad_transaction_between_valid_ones_keeps_one_result_per_tx_in_order(fresh, case):
    chain, reference = fresh("with_bad"), fresh("reference")
    raw = case.build(chain)
    case.build(reference)  # same set-up blocks, so both chains start equal
    first = DAVE.sign_tx(chain.chain_id, 0, Transfer(ERIN.address, 7), fee=MIN_FEE)
    second = DAVE.sign_tx(chain.chain_id, 1, Transfer(ERIN.address, 8), fee=MIN_FEE)
    result = chain.block(first, raw, second)
    assert [code_of(t) for t in result.txs] == [(("", 0)), expected(case), ("", 0)]
    ok(reference.block(first, *([charge(reference, raw)] if case.charged else []), second))
    assert committed_view(chain) == committed_view(reference)


def test_the_must_show_categories_have_distinct_codes():
    """Each category of the issue's bad-input list is told apart by its code alone."""
    categories = [errors.MalformedTx, errors.BadSignature, errors.WrongChain, errors.SequenceMismatch,
                  errors.TxTooLarge, errors.ZeroAmount, errors.AmountOutOfRange, errors.UnknownSender,
                  errors.InsufficientFunds]
    assert len({(e.codespace, e.code) for e in categories}) == len(categories)


def test_a_rejected_check_tx_does_not_consume_the_sequence(fresh):
    chain = fresh()
    assert code_of(chain.check(alice_transfer(chain, fee=MIN_FEE - 1))) == expected(Case(fee_below_minimum, errors.FeeTooLow))
    assert chain.check(alice_transfer(chain)).ok
