"""Agreements: delivery, acceptance, review window, reclaim, disputes, arbitration, cancellation."""

from __future__ import annotations

from abci_app.chain.addresses import COMMUNITY_POOL
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.events import AgreementSettled, MilestoneSettled
from abci_app.chain.domain.agreements.messages import (AcceptMilestone, CancelAgreement, DeliverMilestone, DisputeMilestone,
                                                 ReclaimMilestone, ResolveDispute)
from abci_app.chain.domain.agreements.state import MilestoneStatus as S
from abci_app.chain.domain.market.messages import MilestoneSpec
from abci_app.chain.domain.market.params import MarketParams
from abci_app.chain.errors import (AgreementNotFound, AgreementSettled as AgreementSettledError, CancelAlreadyProposed,
                             DeadlineNotPassed, InvalidHash, InvalidSplit, MilestoneNotFound, NotArbiter, NotParty,
                             WrongMilestoneState)
from tests.support.market import DAY, agreement, balance, doc_hash, event, make_agreement

P = MarketParams()
BALANCE = 100_000


def test_provider_delivers_and_requester_accepts_paying_the_provider(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash("certificate")))
    assert agreement(market, agreement_id).milestones[0].status is S.DELIVERED
    outcome = market.ok(requester, AcceptMilestone(agreement_id, 0))
    assert event(outcome, AgreementSettled).outcome == "completed"
    done = agreement(market, agreement_id)
    assert done.settled and done.escrow == 0 and done.milestones[0].status is S.COMPLETED
    assert balance(market, provider) == BALANCE + 800
    assert balance(market, requester) == BALANCE - 800
    assert balance(market, agreements.ESCROW) == 0


def test_only_the_provider_may_deliver_and_only_an_active_milestone(market, requester, provider, outsider):
    agreement_id = make_agreement(market, requester, provider)
    market.fails(requester, DeliverMilestone(agreement_id, 0, doc_hash(1)), NotParty)
    market.fails(outsider, DeliverMilestone(agreement_id, 0, doc_hash(1)), NotParty)
    market.fails(provider, DeliverMilestone(agreement_id, 0, b"short"), InvalidHash)
    market.fails(provider, DeliverMilestone(agreement_id, 3, doc_hash(1)), MilestoneNotFound)
    market.fails(provider, DeliverMilestone(99, 0, doc_hash(1)), AgreementNotFound)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.fails(provider, DeliverMilestone(agreement_id, 0, doc_hash(2)), WrongMilestoneState)


def test_only_the_requester_may_accept_and_only_after_delivery(market, requester, provider, arbiter):
    agreement_id = make_agreement(market, requester, provider, arbiter=arbiter.address)
    market.fails(requester, AcceptMilestone(agreement_id, 0), WrongMilestoneState)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.fails(provider, AcceptMilestone(agreement_id, 0), NotParty)
    market.fails(arbiter, AcceptMilestone(agreement_id, 0), NotParty)
    market.ok(requester, AcceptMilestone(agreement_id, 0))
    market.fails(requester, AcceptMilestone(agreement_id, 0), AgreementSettledError)


def test_silence_after_delivery_releases_the_escrow_when_the_review_window_ends(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    due = agreement(market, agreement_id).milestones[0].due_at
    assert due == market.now + P.review_window
    market.tick(due - 1)
    assert not agreement(market, agreement_id).settled
    result = market.tick(due)
    assert any(isinstance(e, MilestoneSettled) and e.status == "released" for e in result.events)
    assert agreement(market, agreement_id).outcome == "completed"
    assert balance(market, provider) == BALANCE + 800


def test_requester_may_reclaim_only_after_an_undelivered_deadline_and_it_counts_as_broken(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800, deadline=market.now + 3 * DAY)
    deadline = agreement(market, agreement_id).milestones[0].deadline
    market.fails(requester, ReclaimMilestone(agreement_id, 0), DeadlineNotPassed, time=deadline)
    market.fails(provider, ReclaimMilestone(agreement_id, 0), NotParty, time=deadline + 1)
    outcome = market.ok(requester, ReclaimMilestone(agreement_id, 0), time=deadline + 2)
    assert event(outcome, AgreementSettled).broken
    assert agreement(market, agreement_id).outcome == "broken"
    assert balance(market, requester) == BALANCE


def test_a_delivered_milestone_cannot_be_reclaimed(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, deadline=market.now + 3 * DAY)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.fails(requester, ReclaimMilestone(agreement_id, 0), WrongMilestoneState, time=market.now + 4 * DAY)


def test_late_delivery_is_allowed_until_reclaimed_and_is_not_on_time(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, deadline=market.now + 3 * DAY)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)), time=market.now + 5 * DAY)
    outcome = market.ok(requester, AcceptMilestone(agreement_id, 0))
    settled = event(outcome, AgreementSettled)
    assert settled.outcome == "completed" and not settled.on_time


def test_nobody_acting_after_the_deadline_refunds_automatically_after_the_reclaim_window(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800, deadline=market.now + 3 * DAY)
    due = agreement(market, agreement_id).milestones[0].due_at
    assert due == agreement(market, agreement_id).milestones[0].deadline + P.reclaim_window
    market.tick(due)
    assert agreement(market, agreement_id).outcome == "broken"
    assert balance(market, requester) == BALANCE and balance(market, agreements.ESCROW) == 0


def test_only_the_requester_may_dispute_a_delivered_milestone_and_only_the_arbiter_splits(
        market, requester, provider, arbiter, outsider):
    agreement_id = make_agreement(market, requester, provider, price=1_000, arbiter=arbiter.address)
    market.fails(requester, DisputeMilestone(agreement_id, 0), WrongMilestoneState)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.fails(outsider, DisputeMilestone(agreement_id, 0), NotParty)
    market.fails(arbiter, DisputeMilestone(agreement_id, 0), NotParty)
    market.fails(provider, DisputeMilestone(agreement_id, 0), NotParty)
    market.ok(requester, DisputeMilestone(agreement_id, 0, doc_hash("why")))
    market.fails(requester, DisputeMilestone(agreement_id, 0), WrongMilestoneState)
    market.fails(requester, AcceptMilestone(agreement_id, 0), WrongMilestoneState)
    market.fails(requester, ResolveDispute(agreement_id, 0, 10_000), NotArbiter)
    market.fails(provider, ResolveDispute(agreement_id, 0, 10_000), NotArbiter)
    market.fails(arbiter, ResolveDispute(agreement_id, 0, 10_001), InvalidSplit)
    outcome = market.ok(arbiter, ResolveDispute(agreement_id, 0, 2_500))
    assert event(outcome, AgreementSettled).outcome == "arbitrated"
    bond = 1_000 * P.dispute_bond_bps // 10_000
    assert balance(market, provider) == BALANCE + 250 + bond // 4   # the bond follows the split
    assert balance(market, requester) == BALANCE - 250 - bond // 4
    assert balance(market, agreements.BONDS) == 0


def test_an_undelivered_milestone_cannot_be_disputed_by_either_party(market, requester, provider, arbiter):
    agreement_id = make_agreement(market, requester, provider, arbiter=arbiter.address)
    market.fails(provider, DisputeMilestone(agreement_id, 0), NotParty)
    market.fails(requester, DisputeMilestone(agreement_id, 0), WrongMilestoneState)


def test_a_silent_arbiter_sends_the_amount_and_the_bond_to_the_community_pool(market, requester, provider, arbiter):
    agreement_id = make_agreement(market, requester, provider, price=1_000, arbiter=arbiter.address)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, DisputeMilestone(agreement_id, 0))
    due = agreement(market, agreement_id).milestones[0].due_at
    assert due == market.now + P.arbitration_window
    pool = balance(market, COMMUNITY_POOL)
    market.tick(due)
    settled = agreement(market, agreement_id)
    assert settled.milestones[0].status is S.DEFAULTED and settled.milestones[0].to_community_pool == 1_000
    assert balance(market, provider) == BALANCE
    assert balance(market, requester) == BALANCE - 1_000 - 100
    assert balance(market, COMMUNITY_POOL) == pool + 1_100
    market.fails(arbiter, ResolveDispute(agreement_id, 0, 0), AgreementSettledError)


def test_a_dispute_without_an_arbiter_pays_neither_party(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=1_000)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, DisputeMilestone(agreement_id, 0))
    market.tick(agreement(market, agreement_id).milestones[0].due_at)
    milestone = agreement(market, agreement_id).milestones[0]
    assert milestone.status is S.DEFAULTED and (milestone.to_provider, milestone.to_requester) == (0, 0)


def test_cancelling_needs_both_parties_at_the_same_revision_and_refunds_open_milestones(
        market, requester, provider, outsider):
    agreement_id = make_agreement(market, requester, provider, price=800)
    revision = agreement(market, agreement_id).revision
    market.fails(outsider, CancelAgreement(agreement_id, revision), NotParty)
    market.ok(provider, CancelAgreement(agreement_id, revision))
    proposed = agreement(market, agreement_id)
    assert proposed.cancel_proposed_by == "provider" and proposed.revision == revision + 1
    market.fails(provider, CancelAgreement(agreement_id, proposed.revision), CancelAlreadyProposed)
    outcome = market.ok(requester, CancelAgreement(agreement_id, proposed.revision))
    assert event(outcome, AgreementSettled).outcome == "cancelled"
    assert balance(market, requester) == BALANCE and balance(market, agreements.ESCROW) == 0
    market.fails(requester, CancelAgreement(agreement_id, proposed.revision), AgreementSettledError)


def test_milestones_settle_on_their_own(market, requester, provider):
    now = market.now
    specs = (MilestoneSpec("course", 600, now + 5 * DAY), MilestoneSpec("report", 400, now + 10 * DAY))
    agreement_id = make_agreement(market, requester, provider, price=1_000, deadline=now + 10 * DAY, milestones=specs)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, AcceptMilestone(agreement_id, 0))
    partly = agreement(market, agreement_id)
    assert not partly.settled and partly.escrow == 400
    assert balance(market, provider) == BALANCE + 600
    market.ok(provider, DeliverMilestone(agreement_id, 1, doc_hash(2)))
    market.ok(requester, AcceptMilestone(agreement_id, 1))
    assert agreement(market, agreement_id).outcome == "completed"
    assert agreement(market, agreement_id).milestones[1].to_provider == 400


def test_friction_counters_follow_every_transaction_of_the_deal(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, AcceptMilestone(agreement_id, 0))
    assert agreement(market, agreement_id).txs == 5
