"""An authenticated transaction pays its fee and consumes its sequence even when its action fails.

Regression for issue 12, finding 7: a transfer of 5,000 failed, the sender was topped
up, and the same signed bytes, broadcast again, succeeded; blocks could be filled with
failing transactions for free.  Now the fee and the sequence live in the transaction's
authentication overlay, kept for every authenticated transaction, and only the action's
fork is dropped.  CheckTx still refuses a transaction whose action would fail now.
"""

from __future__ import annotations

import pytest

from abci_app.chain import addresses, auth
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import InsufficientFunds, SequenceMismatch, UnknownSender
from abci_app.adapter.protos import abci
from abci_app.adapter.responses import exec_tx_result
from tests.abci.helpers import check_view
from tests.support.chain import TestChain, key, ok

ALICE, BOB, CAROL, STRANGER = key(1), key(2), key(3), key(9)
FEE = 2


@pytest.fixture
def chain(tmp_path):
    c = TestChain(tmp_path / "db", balances={ALICE: 1_000_000, BOB: 1_000}, params={"min_fee": FEE})
    c.block()
    yield c
    c.close()


def code(outcome) -> tuple[str, int]:
    return outcome.codespace, outcome.code


def pool(chain) -> int:
    return accounts.balance(chain.state, addresses.COMMUNITY_POOL)


def test_a_failed_transfer_is_charged_once_and_its_bytes_cannot_succeed_after_a_top_up(chain):
    too_much = BOB.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 5_000), fee=FEE)
    failed = chain.block(too_much).txs[0]
    assert code(failed) == (InsufficientFunds.codespace, InsufficientFunds.code)
    assert "balance" in failed.log
    assert failed.charged
    assert failed.events == (auth.FeeCharged(BOB.address, BOB.address, FEE, 0),)
    assert accounts.get(chain.state, BOB.address) == accounts.Account(1_000 - FEE, 1)
    assert pool(chain) == FEE

    ok(chain.block(ALICE.sign_tx(chain.chain_id, 0, Transfer(BOB.address, 10_000), fee=FEE)))
    assert code(chain.check(too_much)) == (SequenceMismatch.codespace, SequenceMismatch.code)
    replayed = chain.block(too_much).txs[0]
    assert code(replayed) == (SequenceMismatch.codespace, SequenceMismatch.code)
    assert not replayed.charged and replayed.events == ()
    assert accounts.get(chain.state, BOB.address) == accounts.Account(1_000 - FEE + 10_000, 1)
    assert accounts.get(chain.state, CAROL.address) is None
    assert pool(chain) == 2 * FEE   # Bob's failed transfer once, Alice's top-up once


def test_check_tx_refuses_a_transaction_whose_action_would_fail_and_charges_nothing(chain):
    too_much = BOB.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 5_000), fee=FEE)
    outcome = chain.check(too_much)
    assert code(outcome) == (InsufficientFunds.codespace, InsufficientFunds.code)
    assert check_view(chain) == {}
    assert chain.check(BOB.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 5), fee=FEE)).ok


def test_the_next_sequence_follows_a_failed_transaction_in_the_same_block(chain):
    failing = BOB.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 5_000), fee=FEE)
    following = BOB.sign_tx(chain.chain_id, 1, Transfer(CAROL.address, 5), fee=FEE)
    result = chain.block(failing, following)
    assert [t.code for t in result.txs] == [InsufficientFunds.code, 0]
    assert accounts.get(chain.state, BOB.address) == accounts.Account(1_000 - 2 * FEE - 5, 2)
    assert accounts.balance(chain.state, CAROL.address) == 5


def test_a_transaction_that_fails_authentication_is_not_charged(chain):
    stranger = STRANGER.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 5), fee=FEE)
    before = dict(chain.state.iter_prefix(b""))
    outcome = chain.block(stranger).txs[0]
    assert code(outcome) == (UnknownSender.codespace, UnknownSender.code)
    assert not outcome.charged and outcome.events == ()
    assert dict(chain.state.iter_prefix(b"")) == before


def test_a_failed_charged_result_carries_its_code_log_and_fee_charged_event_over_abci(chain):
    outcome = chain.block(BOB.sign_tx(chain.chain_id, 0, Transfer(CAROL.address, 5_000), fee=FEE)).txs[0]
    result = abci.ExecTxResult.FromString(exec_tx_result(outcome))
    assert (result.codespace, result.code) == ("accounts", InsufficientFunds.code)
    assert result.log == outcome.log
    [event] = result.events
    assert event.type == "fee_charged"
    attributes = {a.key: (a.value, a.index) for a in event.attributes}
    assert attributes == {"signer": (BOB.address, True), "payer": (BOB.address, True),
                          "fee": (str(FEE), False), "sequence": ("0", False)}


def test_a_block_full_of_failing_transactions_pays_a_fee_for_each(chain):
    failing = [BOB.sign_tx(chain.chain_id, s, Transfer(CAROL.address, 5_000), fee=FEE) for s in range(10)]
    result = chain.block(*failing)
    assert all(t.charged and t.code == InsufficientFunds.code for t in result.txs)
    assert accounts.get(chain.state, BOB.address) == accounts.Account(1_000 - 10 * FEE, 10)
    assert pool(chain) == 10 * FEE
