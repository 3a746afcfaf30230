"""Escrow: funding an agreement, settling milestones, finishing agreements, and the time-driven hook.

Funding and refunds follow the agreement's payer: its project's budget when it
has a ``project_id``, else the requester's account.  Settling a milestone pays
``amount * provider_bps // 10000`` to the provider and the rest back to the payer,
except a defaulted dispute, whose amount (and bond) go to the community pool.
When the last milestone settles the agreement is finished: its outcome is fixed,
reputation and friction figures are recorded, and it leaves its project's list.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain import addresses
from abci_app.chain.domain import due
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import keys, state as agreements
from abci_app.chain.domain.agreements.events import AgreementMade, AgreementSettled, DisputeBondSettled, MilestoneSettled
from abci_app.chain.domain.agreements.state import BONDS, ESCROW, Agreement, Milestone, MilestoneStatus as S
from abci_app.chain.domain.friction import state as friction
from abci_app.chain.domain.market.params import BPS, MarketParams
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.reputation import state as reputation
from abci_app.chain.domain.stored import stored
from abci_app.chain.errors import LedgerError
from abci_app.chain.context import BlockInfo
from abci_app.chain.state.protocols import StateRead, StateWrite

PAID_TO_PROVIDER = (S.COMPLETED, S.RELEASED)


def fund(state: StateWrite, payer: str, project_id: int, amount: int) -> None:
    """Move ``amount`` into escrow from the project's budget or from ``payer``."""
    if project_id:
        projects.spend(state, project_id, ESCROW, amount)
    else:
        accounts.move(state, payer, ESCROW, amount)


def open_agreement(state: StateWrite, block: BlockInfo, agreement: Agreement) -> list[object]:
    """Fund and store a new agreement: escrow its price, schedule each milestone's reclaim time."""
    reclaim_window = block.market.reclaim_window
    fund(state, agreement.requester, agreement.project_id, agreement.price)
    milestones = tuple(replace(m, due_at=m.deadline + reclaim_window) for m in agreement.milestones)
    agreement = replace(agreement, milestones=milestones, escrow=agreement.price)
    for index, m in enumerate(milestones):
        agreements.schedule(state, agreement.id, index, m.due_at)
    agreement = agreements.put(state, agreement)
    if agreement.project_id:
        projects.link_agreement(state, agreement.project_id, agreement.id)
    return [AgreementMade(agreement.id, agreement.requester, agreement.provider, agreement.arbiter,
                          agreement.price, agreement.project_id, agreement.request_id, agreement.standing_offer_id)]


def refund(state: StateWrite, agreement: Agreement, amount: int, now: int = 0) -> None:
    if agreement.project_id:
        projects.refund(state, agreement.project_id, ESCROW, amount, now)
    else:
        accounts.move(state, ESCROW, agreement.requester, amount, "escrow")


def payout(status: S, amount: int, provider_bps: int) -> tuple[int, int, int]:
    """Return ``(to_provider, to_requester, to_community_pool)`` of ``amount`` settling as ``status``.

    A defaulted dispute (no arbiter, or a silent one) gives everything to the community
    pool: neither the disputing requester nor the provider gains from it.  Otherwise the
    provider gets ``amount * provider_bps // 10000`` and the requester side the rest.
    """
    if status is S.DEFAULTED:
        return 0, 0, amount
    to_provider = amount * provider_bps // BPS
    return to_provider, amount - to_provider, 0


def settle_bond(state: StateWrite, agreement: Agreement, index: int, status: S, provider_bps: int) -> list[object]:
    """Pay out a disputed milestone's bond like its amount: resolved -> split, defaulted -> pool, cancelled -> back."""
    ms = agreement.milestones[index]
    if not ms.bond:
        return []
    to_provider, to_payer, to_pool = payout(status, ms.bond, 0 if status is S.CANCELLED else provider_bps)
    for target, amount in ((agreement.provider, to_provider), (ms.bond_payer, to_payer),
                           (addresses.COMMUNITY_POOL, to_pool)):
        if amount:
            accounts.move(state, BONDS, target, amount, "dispute bonds")
    return [DisputeBondSettled(agreement.id, index, ms.bond, to_provider, to_payer, to_pool)]


def settle_milestone(state: StateWrite, block: BlockInfo, agreement: Agreement, index: int, status: S,
                     provider_bps: int) -> tuple[Agreement, list[object]]:
    """Settle one open milestone (and its dispute bond); return the updated (stored) agreement and events."""
    now, ms = block.time, agreement.milestones[index]
    to_provider, to_requester, to_pool = payout(status, ms.amount, provider_bps)
    agreements.unschedule(state, agreement.id, index, ms.due_at)
    if to_provider:
        accounts.move(state, ESCROW, agreement.provider, to_provider, "escrow")
    if to_requester:
        refund(state, agreement, to_requester, now)
    if to_pool:
        accounts.move(state, ESCROW, addresses.COMMUNITY_POOL, to_pool, "escrow")
    events: list[object] = settle_bond(state, agreement, index, status, provider_bps)
    settled = replace(ms, status=status, to_provider=to_provider, to_requester=to_requester,
                      to_community_pool=to_pool, settled_at=now, due_at=0)
    milestones = agreement.milestones[:index] + (settled,) + agreement.milestones[index + 1:]
    agreement = replace(agreement, milestones=milestones, escrow=agreement.escrow - ms.amount)
    events.insert(0, MilestoneSettled(agreement.id, index, status.value, to_provider, to_requester, to_pool))
    if not any(m.open for m in milestones):
        agreement, finished = finish(state, block, agreement)
        events.extend(finished)
    return agreements.put(state, agreement), events


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


def finish(state: StateWrite, block: BlockInfo, agreement: Agreement) -> tuple[Agreement, list[object]]:
    """Fix the outcome of a fully settled agreement; record reputation and friction figures."""
    now = block.time
    outcome, disputed, on_time, broken = outcome_of(agreement)
    agreement = replace(agreement, settled=True, outcome=outcome, settled_at=now)
    if agreement.project_id:
        projects.unlink_agreement(state, agreement.project_id, agreement.id)
    _record_reputation(state, block, agreement)
    friction.record(state, figures(agreement, disputed, on_time, broken))
    return agreement, [AgreementSettled(agreement.id, outcome, disputed, on_time, broken)]


def _dispute_counts(agreement: Agreement, role: str) -> dict[str, int]:
    """Disputes opened, won and lost by ``role``: a defaulted dispute is lost by both parties."""
    opened = won = lost = 0
    for m in agreement.milestones:
        if not m.disputed_by:
            continue
        opened += m.disputed_by == role
        if m.status is S.DEFAULTED:
            lost += 1
        elif m.status is S.RESOLVED:
            mine = m.to_provider if role == agreements.PROVIDER else m.to_requester
            won += 2 * mine > m.amount
            lost += 2 * mine < m.amount
    return {"disputes_opened": opened, "disputes_won": won, "disputes_lost": lost}


def party_counts(agreement: Agreement, role: str) -> reputation.Counts:
    """The reputation counters a settled agreement adds to ``role``'s record."""
    outcome, _, on_time, _ = outcome_of(agreement)
    completed = int(outcome == "completed")
    if role == agreements.PROVIDER:
        return reputation.Counts(completed_as_provider=completed, on_time=int(on_time), broken=int(outcome == "broken"),
                                 **_dispute_counts(agreement, role))
    return reputation.Counts(completed_as_requester=completed, **_dispute_counts(agreement, role))


def gain_cap(params: MarketParams, agreement: Agreement) -> int:
    """Most milli-points one party may gain from a settled agreement (its settlement and the rating it gets).

    Reputation costs what it claims: a party gains at most one point per
    ``reputation_value_per_point`` of value settled to the provider, and at most half a
    point per ``reputation_fee_per_point`` of fees the deal paid, so the points both
    parties gain from one deal never exceed ``fees / reputation_fee_per_point``.
    """
    value = sum(m.to_provider for m in agreement.milestones)
    by_value = value * reputation.MILLI // params.reputation_value_per_point
    by_fees = agreement.fees * reputation.MILLI // (2 * params.reputation_fee_per_point)
    return min(by_value, by_fees)


def _record_reputation(state: StateWrite, block: BlockInfo, agreement: Agreement) -> None:
    now, half_life = block.time, block.market.reputation_half_life
    cap = gain_cap(block.market, agreement)
    for role, address in ((agreements.PROVIDER, agreement.provider), (agreements.REQUESTER, agreement.requester)):
        reputation.add(state, address, agreement.tags, party_counts(agreement, role), now, half_life, cap)


def figures(agreement: Agreement, disputed: bool, on_time: bool, broken: bool) -> friction.AgreementFigures:
    start = agreement.posted_at
    delivered = max((m.delivered_at for m in agreement.milestones), default=0)
    first_offer = agreement.first_offer_at - start if agreement.first_offer_at else -1
    return friction.AgreementFigures(
        agreement.id, agreement.requester, agreement.provider, agreement.tags, agreement.price,
        agreement.settled_at, first_offer, agreement.created_at - start,
        delivered - start if delivered else -1, agreement.settled_at - start,
        agreement.txs, agreement.fees, agreement.outcome, disputed, on_time, broken)


def timed_transition(ms: Milestone) -> S:
    """Return the status a milestone takes when its window ends in silence."""
    return {S.ACTIVE: S.RECLAIMED, S.DELIVERED: S.RELEASED, S.DISPUTED: S.DEFAULTED}[ms.status]


TIMED_PROVIDER_BPS = {S.RECLAIMED: 0, S.RELEASED: BPS, S.DEFAULTED: 0}


def settle_due(state: StateWrite, block: BlockInfo, agreement_id: int, index: int) -> list[object]:
    """Apply what block time does to one due milestone; return its events.

    Undelivered past deadline + reclaim window: refund (broken).  Delivered past the
    review window: release to the provider.  Disputed past the arbitration window
    (no arbiter, or a silent one): amount and bond to the community pool.  Never
    raises ``LedgerError``: a shortfall in escrow here is a broken invariant and
    halts the node.
    """
    agreement = stored(agreements.get(state, agreement_id), f"agreement {agreement_id}")
    status = timed_transition(agreement.milestones[index])
    try:
        _, events = settle_milestone(state, block, agreement, index, status, TIMED_PROVIDER_BPS[status])
    except LedgerError as exc:
        raise RuntimeError(f"escrow invariant broken settling agreement {agreement_id}: {exc.message}") from exc
    return events


def end_block(state: StateWrite, block: BlockInfo) -> list[object]:
    """Settle the due milestones, earliest first, at most ``max_due_per_block`` (``settle_due`` each)."""
    entries, report = due.take(state, due.MILESTONES, keys.DUE_PREFIX, block, agreements.parse_due)
    events: list[object] = []
    for agreement_id, index in entries:
        events.extend(settle_due(state, block, agreement_id, index))
    return events + report
