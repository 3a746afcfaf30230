"""Regressions of issue #12, findings 4-6: breaking a deal does not pay, stale cancels are void, windows hold in the handler."""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.messages import (AcceptMilestone, CancelAgreement, DeliverMilestone, DisputeMilestone,
                                                 ResolveDispute)
from abci_app.chain.domain.agreements.state import MilestoneStatus as S
from abci_app.chain.domain.market.messages import MilestoneSpec
from abci_app.chain.domain.market.params import MarketParams
from abci_app.chain.domain.reputation import state as reputation
from abci_app.chain.errors import (CancelAlreadyProposed, NoCancelProposal, NotParty, NotProposer, StaleRevision, WindowClosed,
                             WrongMilestoneState)
from tests.support.market import DAY, agreement, balance, doc_hash, make_agreement
from abci_app.chain import errors
from tests.support.rejections import assert_rejected

P = MarketParams()
BALANCE = 100_000


def two_milestones(market, requester, provider, **kw) -> int:
    now = market.now
    specs = (MilestoneSpec("course", 500, now + 5 * DAY), MilestoneSpec("report", 500, now + 10 * DAY))
    return make_agreement(market, requester, provider, price=1_000, deadline=now + 10 * DAY, milestones=specs, **kw)


def delivered(market, requester, provider, **kw) -> int:
    """An agreement whose (first) milestone the provider has delivered."""
    agreement_id = make_agreement(market, requester, provider, **kw)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    return agreement_id


def in_block_before_end_block(market, signer, action, time):
    """Run ``action`` alone in a block at ``time``: it executes before that block's END_BLOCK hook."""
    result = market.chain.block(market.chain.tx(signer, action), time=time)
    outcome = result.txs[0]
    if not outcome.ok:
        market.chain.sequences[signer.address] = accounts.get(market.state, signer.address).sequence
    return outcome, result


def code_of(outcome):
    return outcome.codespace, outcome.code


# -- finding 4: disputes do not reward breaking --------------------------------------------------


def test_a_provider_who_never_delivers_cannot_dispute_and_ends_with_nothing_and_a_broken_record(
        market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=1_000, deadline=market.now + 3 * DAY)
    market.fails(provider, DisputeMilestone(agreement_id, 0), NotParty)
    market.fails(requester, DisputeMilestone(agreement_id, 0), WrongMilestoneState)
    market.tick(agreement(market, agreement_id).milestones[0].due_at)
    done = agreement(market, agreement_id)
    assert done.outcome == "broken" and done.milestones[0].status is S.RECLAIMED
    assert balance(market, provider) == BALANCE and balance(market, requester) == BALANCE
    assert reputation.get(market.state, provider.address).counts.broken == 1


def test_a_requester_disputing_a_delivered_milestone_without_an_arbiter_ends_worse_than_accepting(
        market, requester, provider):
    agreement_id = delivered(market, requester, provider, price=1_000)
    opened = market.ok(requester, DisputeMilestone(agreement_id, 0))
    bond = 1_000 * P.dispute_bond_bps // 10_000
    assert bond > 0 and balance(market, agreements.BONDS) == bond
    assert any(getattr(e, "bond", None) == bond for e in opened.events)
    market.tick(agreement(market, agreement_id).milestones[0].due_at)
    accepting_would_leave = BALANCE - 1_000
    assert balance(market, requester) == accepting_would_leave - bond
    assert balance(market, provider) == BALANCE
    for party in (requester, provider):
        assert reputation.get(market.state, party.address).counts.disputes_lost == 1


def test_an_honest_arbiter_gives_the_provider_the_amount_and_the_requesters_bond(market, requester, provider, arbiter):
    agreement_id = delivered(market, requester, provider, price=1_000, arbiter=arbiter.address)
    market.ok(requester, DisputeMilestone(agreement_id, 0))
    market.ok(arbiter, ResolveDispute(agreement_id, 0, 10_000))
    bond = 1_000 * P.dispute_bond_bps // 10_000
    assert balance(market, provider) == BALANCE + 1_000 + bond
    assert balance(market, requester) == BALANCE - 1_000 - bond


def test_a_dispute_needs_the_bond_in_the_requesters_account(market, requester, provider, outsider):
    agreement_id = delivered(market, requester, provider, price=1_000)
    market.ok(requester, Transfer(outsider.address, balance(market, requester) - 50))
    outcome, _ = in_block_before_end_block(market, requester, DisputeMilestone(agreement_id, 0), market.now + 5)
    assert_rejected(outcome, errors.InsufficientFunds)
    assert agreement(market, agreement_id).milestones[0].status is S.DELIVERED


def test_cancelling_a_disputed_milestone_returns_the_bond_to_whoever_posted_it(market, requester, provider):
    agreement_id = delivered(market, requester, provider, price=1_000)
    market.ok(requester, DisputeMilestone(agreement_id, 0))
    market.ok(provider, CancelAgreement(agreement_id, agreement(market, agreement_id).revision))
    market.ok(requester, CancelAgreement(agreement_id, agreement(market, agreement_id).revision))
    assert balance(market, requester) == BALANCE and balance(market, agreements.BONDS) == 0


# -- finding 5: a stale cancellation takes nothing ------------------------------------------------


def test_a_cancel_proposal_made_before_both_deliveries_cannot_be_confirmed_and_the_provider_keeps_its_pay(
        market, requester, provider):
    agreement_id = two_milestones(market, requester, provider)
    market.ok(provider, CancelAgreement(agreement_id, agreement(market, agreement_id).revision))
    seen_with_proposal = agreement(market, agreement_id).revision
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(provider, DeliverMilestone(agreement_id, 1, doc_hash(2)))
    assert agreement(market, agreement_id).cancel_proposed_by == ""
    market.fails(requester, CancelAgreement(agreement_id, seen_with_proposal), StaleRevision)
    now_revision = agreement(market, agreement_id).revision
    market.ok(requester, CancelAgreement(agreement_id, now_revision))   # only a new proposal, no refund
    assert agreement(market, agreement_id).cancel_proposed_by == "requester"
    assert balance(market, agreements.ESCROW) == 1_000
    market.tick(max(m.due_at for m in agreement(market, agreement_id).milestones))
    assert agreement(market, agreement_id).outcome == "completed"
    assert balance(market, provider) == BALANCE + 1_000 and balance(market, requester) == BALANCE - 1_000


def test_a_cancel_proposal_expires_after_the_cancel_window(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800, deadline=market.now + 30 * DAY)
    market.ok(provider, CancelAgreement(agreement_id, agreement(market, agreement_id).revision))
    proposed = agreement(market, agreement_id)
    assert proposed.cancel_expires_at == market.now + P.cancel_window
    market.tick(proposed.cancel_expires_at)
    market.ok(requester, CancelAgreement(agreement_id, proposed.revision))   # a new proposal, not a confirmation
    assert not agreement(market, agreement_id).settled
    assert agreement(market, agreement_id).cancel_proposed_by == "requester"


def test_only_the_proposer_may_withdraw_a_standing_cancel_proposal(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800)
    market.fails(provider, CancelAgreement(agreement_id, withdraw=True), NoCancelProposal)
    market.ok(provider, CancelAgreement(agreement_id, agreement(market, agreement_id).revision))
    market.fails(requester, CancelAgreement(agreement_id, withdraw=True), NotProposer)
    market.fails(provider, CancelAgreement(agreement_id, agreement(market, agreement_id).revision),
                 CancelAlreadyProposed)
    market.ok(provider, CancelAgreement(agreement_id, withdraw=True))
    withdrawn = agreement(market, agreement_id)
    assert withdrawn.cancel_proposed_by == ""
    market.ok(requester, CancelAgreement(agreement_id, withdrawn.revision))
    assert not agreement(market, agreement_id).settled


# -- finding 6: windows are checked in the handler -----------------------------------------------


def test_a_dispute_in_the_first_block_after_the_review_window_is_refused_and_the_milestone_is_released(
        market, requester, provider):
    agreement_id = delivered(market, requester, provider, price=800)
    due = agreement(market, agreement_id).milestones[0].due_at
    outcome, _ = in_block_before_end_block(market, requester, DisputeMilestone(agreement_id, 0), due)
    assert code_of(outcome) == (WindowClosed.codespace, WindowClosed.code)
    assert agreement(market, agreement_id).milestones[0].status is S.RELEASED
    assert balance(market, provider) == BALANCE + 800


def test_a_delivery_in_the_first_block_after_deadline_plus_reclaim_window_is_refused_and_refunded(
        market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800, deadline=market.now + 3 * DAY)
    due = agreement(market, agreement_id).milestones[0].due_at
    assert due == agreement(market, agreement_id).milestones[0].deadline + P.reclaim_window
    outcome, _ = in_block_before_end_block(market, provider, DeliverMilestone(agreement_id, 0, doc_hash(1)), due)
    assert code_of(outcome) == (WindowClosed.codespace, WindowClosed.code)
    assert agreement(market, agreement_id).outcome == "broken"
    assert balance(market, requester) == BALANCE


def test_a_resolution_in_the_first_block_after_the_arbitration_window_is_refused(market, requester, provider, arbiter):
    agreement_id = delivered(market, requester, provider, price=1_000, arbiter=arbiter.address)
    market.ok(requester, DisputeMilestone(agreement_id, 0))
    due = agreement(market, agreement_id).milestones[0].due_at
    outcome, _ = in_block_before_end_block(market, arbiter, ResolveDispute(agreement_id, 0, 10_000), due)
    assert code_of(outcome) == (WindowClosed.codespace, WindowClosed.code)
    assert agreement(market, agreement_id).milestones[0].status is S.DEFAULTED
    assert balance(market, provider) == BALANCE


def test_cancelling_is_refused_while_a_milestone_is_due_so_block_time_settles_it_first(market, requester, provider):
    agreement_id = delivered(market, requester, provider, price=800)
    market.ok(provider, CancelAgreement(agreement_id, agreement(market, agreement_id).revision))
    due = agreement(market, agreement_id).milestones[0].due_at
    confirm = CancelAgreement(agreement_id, agreement(market, agreement_id).revision)
    outcome, _ = in_block_before_end_block(market, requester, confirm, due)
    assert code_of(outcome) == (WindowClosed.codespace, WindowClosed.code)
    assert balance(market, provider) == BALANCE + 800


def test_accepting_in_the_first_block_after_the_review_window_pays_the_provider_as_block_time_would(
        market, requester, provider):
    agreement_id = delivered(market, requester, provider, price=800)
    due = agreement(market, agreement_id).milestones[0].due_at
    outcome, _ = in_block_before_end_block(market, requester, AcceptMilestone(agreement_id, 0), due)
    assert outcome.ok and balance(market, provider) == BALANCE + 800
