"""Escrow: funding an agreement, settling milestones, finishing agreements, and the time-driven hook.

Funding and refunds follow the agreement's payer: its project's budget when it
has a ``project_id``, else the requester's account.  Settling a milestone pays
``amount * provider_bps // 10000`` to the provider and the rest back to the payer.
When the last milestone settles the agreement is finished: its outcome is fixed,
reputation and friction figures are recorded, and it leaves its project's list.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.domain import due
from abci_app.domain.accounts import state as accounts
from abci_app.domain.agreements import keys, state as agreements
from abci_app.domain.agreements.events import AgreementMade, AgreementSettled, MilestoneSettled
from abci_app.domain.agreements.state import ESCROW, Agreement, MilestoneStatus as S
from abci_app.domain.friction import state as friction
from abci_app.domain.market import params as market_params
from abci_app.domain.market.params import BPS
from abci_app.domain.projects import state as projects
from abci_app.domain.reputation import state as reputation
from abci_app.errors import LedgerError

PAID_TO_PROVIDER = (S.COMPLETED, S.RELEASED)


def fund(state, payer: str, project_id: int, amount: int) -> None:
    """Move ``amount`` into escrow from the project's budget or from ``payer``."""
    if project_id:
        projects.spend(state, project_id, ESCROW, amount)
    else:
        accounts.move(state, payer, ESCROW, amount)


def open_agreement(state, agreement: Agreement) -> list:
    """Fund and store a new agreement: escrow its price, schedule each milestone's reclaim time."""
    reclaim_window = market_params.get(state).reclaim_window
    fund(state, agreement.requester, agreement.project_id, agreement.price)
    milestones = tuple(replace(m, due_at=m.deadline + reclaim_window) for m in agreement.milestones)
    agreement = replace(agreement, milestones=milestones, escrow=agreement.price)
    for index, m in enumerate(milestones):
        agreements.schedule(state, agreement.id, index, m.due_at)
    agreements.put(state, agreement)
    if agreement.project_id:
        projects.link_agreement(state, agreement.project_id, agreement.id)
    return [AgreementMade(agreement.id, agreement.requester, agreement.provider, agreement.arbiter,
                          agreement.price, agreement.project_id, agreement.request_id, agreement.standing_offer_id)]


def refund(state, agreement: Agreement, amount: int, now: int = 0) -> None:
    if agreement.project_id:
        projects.refund(state, agreement.project_id, ESCROW, amount, now)
    else:
        accounts.move(state, ESCROW, agreement.requester, amount, "escrow")


def settle_milestone(state, now: int, agreement: Agreement, index: int, status: S, provider_bps: int):
    """Settle one open milestone; return the updated (stored) agreement and events."""
    ms = agreement.milestones[index]
    to_provider = ms.amount * provider_bps // BPS
    to_requester = ms.amount - to_provider
    agreements.unschedule(state, agreement.id, index, ms.due_at)
    if to_provider:
        accounts.move(state, ESCROW, agreement.provider, to_provider, "escrow")
    if to_requester:
        refund(state, agreement, to_requester, now)
    settled = replace(ms, status=status, to_provider=to_provider, to_requester=to_requester, settled_at=now, due_at=0)
    milestones = agreement.milestones[:index] + (settled,) + agreement.milestones[index + 1:]
    agreement = replace(agreement, milestones=milestones, escrow=agreement.escrow - ms.amount)
    events = [MilestoneSettled(agreement.id, index, status.value, to_provider, to_requester)]
    if not any(m.open for m in milestones):
        agreement, finished = finish(state, now, agreement)
        events.extend(finished)
    agreements.put(state, agreement)
    return agreement, events


def outcome_of(agreement: Agreement) -> tuple[str, bool, bool, bool]:
    """Return ``(outcome, disputed, on_time, broken)`` of an agreement whose milestones are all settled."""
    statuses = [m.status for m in agreement.milestones]
    disputed = any(m.disputed_by for m in agreement.milestones)
    broken = S.RECLAIMED in statuses
    completed = all(s in PAID_TO_PROVIDER for s in statuses)
    on_time = completed and all(m.delivered_at <= m.deadline for m in agreement.milestones)
    if broken:
        outcome = "broken"
    elif S.CANCELLED in statuses:
        outcome = "cancelled"
    elif completed:
        outcome = "completed"
    else:
        outcome = "arbitrated"
    return outcome, disputed, on_time, broken


def finish(state, now: int, agreement: Agreement):
    """Fix the outcome of a fully settled agreement; record reputation and friction figures."""
    outcome, disputed, on_time, broken = outcome_of(agreement)
    agreement = replace(agreement, settled=True, outcome=outcome, settled_at=now, cancel_proposed_by="")
    if agreement.project_id:
        projects.unlink_agreement(state, agreement.project_id, agreement.id)
    _record_reputation(state, now, agreement, outcome, on_time)
    friction.record(state, figures(agreement, disputed, on_time, broken))
    return agreement, [AgreementSettled(agreement.id, outcome, disputed, on_time, broken)]


def _dispute_counts(agreement: Agreement, role: str) -> dict:
    opened = won = lost = 0
    for m in agreement.milestones:
        if not m.disputed_by:
            continue
        opened += m.disputed_by == role
        if m.status in (S.RESOLVED, S.DEFAULTED):
            mine = m.to_provider if role == agreements.PROVIDER else m.to_requester
            won += 2 * mine > m.amount
            lost += 2 * mine < m.amount
    return {"disputes_opened": opened, "disputes_won": won, "disputes_lost": lost}


def _record_reputation(state, now: int, agreement: Agreement, outcome: str, on_time: bool) -> None:
    half_life = market_params.get(state).reputation_half_life
    completed = outcome == "completed"
    provider = reputation.Counts(completed_as_provider=int(completed), on_time=int(on_time),
                                 broken=int(outcome == "broken"), **_dispute_counts(agreement, agreements.PROVIDER))
    requester = reputation.Counts(completed_as_requester=int(completed),
                                  **_dispute_counts(agreement, agreements.REQUESTER))
    reputation.add(state, agreement.provider, agreement.tags, provider, now, half_life)
    reputation.add(state, agreement.requester, agreement.tags, requester, now, half_life)


def figures(agreement: Agreement, disputed: bool, on_time: bool, broken: bool) -> friction.AgreementFigures:
    start = agreement.posted_at
    delivered = max((m.delivered_at for m in agreement.milestones), default=0)
    first_offer = agreement.first_offer_at - start if agreement.first_offer_at else -1
    return friction.AgreementFigures(
        agreement.id, agreement.requester, agreement.provider, agreement.tags, agreement.price,
        agreement.settled_at, first_offer, agreement.created_at - start,
        delivered - start if delivered else -1, agreement.settled_at - start,
        agreement.txs, agreement.fees, agreement.outcome, disputed, on_time, broken)


def timed_transition(ms) -> S:
    """Return the status a milestone takes when its window ends in silence."""
    return {S.ACTIVE: S.RECLAIMED, S.DELIVERED: S.RELEASED, S.DISPUTED: S.DEFAULTED}[ms.status]


def end_block(state, block) -> list:
    """Settle every milestone whose window has ended (O(due milestones)).

    Undelivered past deadline + reclaim window: refund (broken).  Delivered past
    the review window: release to the provider.  Disputed past the arbitration
    window: the genesis default split.  Never raises ``LedgerError``: a shortfall
    in escrow here is a broken invariant and halts the node.
    """
    default_bps = market_params.get(state).default_provider_bps
    entries, report = due.take(state, due.MILESTONES, keys.DUE_PREFIX, block.time, agreements.parse_due)
    events: list = []
    for agreement_id, index in entries:
        agreement = agreements.get(state, agreement_id)
        status = timed_transition(agreement.milestones[index])
        bps = {S.RECLAIMED: 0, S.RELEASED: BPS, S.DEFAULTED: default_bps}[status]
        try:
            _, settled = settle_milestone(state, block.time, agreement, index, status, bps)
        except LedgerError as exc:
            raise RuntimeError(f"escrow invariant broken settling agreement {agreement_id}: {exc.message}") from exc
        events.extend(settled)
    return events + report
