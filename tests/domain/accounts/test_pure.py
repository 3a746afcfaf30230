"""Accounts handlers, pure: ``Transfer`` against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain import errors
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from tests.support.chain import key
from tests.support.pure import PureChain

ALICE, BOB = key(1), key(2)


def test_a_transfer_moves_the_amount_and_says_so_in_its_event():
    world = PureChain({ALICE: 1_000})
    events = world.run(ALICE, Transfer(BOB.address, 300, "rent"))
    assert [(e.sender, e.recipient, e.amount, e.memo) for e in events] == [(ALICE.address, BOB.address, 300, "rent")]
    assert (accounts.balance(world.state, ALICE.address), accounts.balance(world.state, BOB.address)) == (700, 300)


def test_zero_too_much_and_a_bad_recipient_are_rejected_and_change_nothing():
    world = PureChain({ALICE: 1_000})
    world.rejects(ALICE, Transfer(BOB.address, 0), errors.ZeroAmount)
    world.rejects(ALICE, Transfer(BOB.address, 1_001), errors.InsufficientFunds)
    world.rejects(ALICE, Transfer("samen1nope", 5), errors.InvalidAddress)
    assert accounts.balance(world.state, ALICE.address) == 1_000
