"""Agreement handlers, pure: deliver, accept, dispute, cancel and rate against a ``Delta`` over an in-memory base."""

from __future__ import annotations

from abci_app.chain import errors
from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import keys as agreement_keys
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.events import AgreementMade
from abci_app.chain.domain.agreements.messages import (AcceptMilestone, CancelAgreement, DeliverMilestone,
                                                       DisputeMilestone, RateAgreement)
from abci_app.chain.domain.agreements.state import BONDS, ESCROW, MilestoneStatus as S
from abci_app.chain.domain.market.messages import AcceptOffer
from tests.support.chain import key
from tests.support.market import doc_hash, offer_msg, request_msg
from tests.support.pure import PureChain

ALICE, PIM, EVE = key(1), key(2), key(3)
PRICE = 800


def agreed(world: PureChain) -> agreements.Agreement:
    """ALICE accepted PIM's offer at ``PRICE``: one milestone, its price in escrow."""
    request_id = world.run(ALICE, request_msg(world.time))[0].request_id
    offer_id = world.run(PIM, offer_msg(request_id, world.time, price=PRICE))[0].offer_id
    made = [e for e in world.run(ALICE, AcceptOffer(offer_id)) if isinstance(e, AgreementMade)][0]
    return agreements.get(world.state, made.agreement_id)


def due_key(world: PureChain, agreement_id: int) -> bytes:
    return agreement_keys.due(agreements.get(world.state, agreement_id).milestones[0].due_at, agreement_id, 0)


def test_a_delivery_rewrites_the_agreement_and_moves_its_milestone_to_the_review_windows_end():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    agreement = agreed(world)
    old_due = due_key(world, agreement.id)
    changed = world.changes(PIM, DeliverMilestone(agreement.id, 0, doc_hash(1)))
    new_due = due_key(world, agreement.id)
    assert changed == {agreement_keys.agreement(agreement.id): changed[agreement_keys.agreement(agreement.id)],
                       old_due: None, new_due: b""}
    assert agreements.get(world.state, agreement.id).milestones[0].status == S.DELIVERED


def test_accepting_a_delivery_pays_the_provider_from_escrow_and_settles_the_agreement():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    agreement = agreed(world)
    world.run(PIM, DeliverMilestone(agreement.id, 0, doc_hash(1)))
    review_due, escrow_before = due_key(world, agreement.id), accounts.balance(world.state, ESCROW)
    changed = world.changes(ALICE, AcceptMilestone(agreement.id, 0))
    assert {agreement_keys.agreement(agreement.id), account_keys.account(ESCROW),
            account_keys.account(PIM.address)} <= set(changed)
    assert changed[review_due] is None                  # block time no longer settles it
    assert accounts.balance(world.state, ESCROW) == escrow_before - PRICE
    assert agreements.get(world.state, agreement.id).settled


def test_a_dispute_escrows_the_requesters_bond_and_only_the_requester_may_open_one():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    agreement = agreed(world)
    world.run(PIM, DeliverMilestone(agreement.id, 0, doc_hash(1)))
    world.rejects(PIM, DisputeMilestone(agreement.id, 0), errors.NotParty)
    alice_before = accounts.balance(world.state, ALICE.address)
    changed = world.changes(ALICE, DisputeMilestone(agreement.id, 0, doc_hash(2)))
    bond = agreements.get(world.state, agreement.id).milestones[0].bond
    assert bond > 0
    assert {account_keys.account(ALICE.address), account_keys.account(BONDS),
            agreement_keys.agreement(agreement.id)} <= set(changed)
    assert accounts.balance(world.state, ALICE.address) == alice_before - bond
    assert agreements.get(world.state, agreement.id).milestones[0].status == S.DISPUTED


def test_a_cancel_proposal_writes_only_the_agreement_and_the_proposer_cannot_confirm_it():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    agreement = agreed(world)
    changed = world.changes(ALICE, CancelAgreement(agreement.id, agreement.revision))
    assert set(changed) == {agreement_keys.agreement(agreement.id)}
    proposed = agreements.get(world.state, agreement.id)
    assert proposed.cancel_proposed_by == agreements.REQUESTER
    world.rejects(ALICE, CancelAgreement(agreement.id, proposed.revision), errors.CancelAlreadyProposed)
    world.rejects(PIM, CancelAgreement(agreement.id, agreement.revision), errors.StaleRevision)


def test_a_confirmed_cancel_refunds_the_escrow_to_the_requester():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    agreement = agreed(world)
    world.run(ALICE, CancelAgreement(agreement.id, agreement.revision))
    alice_before = accounts.balance(world.state, ALICE.address)
    world.run(PIM, CancelAgreement(agreement.id, agreements.get(world.state, agreement.id).revision))
    assert accounts.balance(world.state, ALICE.address) == alice_before + PRICE
    assert agreements.get(world.state, agreement.id).settled


def test_a_rating_is_stored_once_per_party_and_only_after_settlement():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    agreement = agreed(world)
    world.rejects(ALICE, RateAgreement(agreement.id, 5), errors.AgreementNotSettled)
    world.run(PIM, DeliverMilestone(agreement.id, 0, doc_hash(1)))
    world.run(ALICE, AcceptMilestone(agreement.id, 0))
    changed = world.changes(ALICE, RateAgreement(agreement.id, 5))
    assert {k for k in changed if k.startswith(b"agr/")} == {agreement_keys.rating(agreement.id, agreements.REQUESTER)}
    world.rejects(ALICE, RateAgreement(agreement.id, 1), errors.AlreadyRated)
    world.rejects(EVE, RateAgreement(agreement.id, 1), errors.NotParty)
