"""Handlers of the agreements module: delivery, acceptance, reclaim, disputes, ratings (cancellation: ``cancel``).

Every handler that acts on an agreement counts its transaction and fee into the
agreement's friction figures before the transition, so the settling transaction
is included.  Ratings come after settlement and are not counted.

Windows are checked here, against block time, not only by the end-of-block hook: a
milestone's ``due_at`` is the time from which block time settles it, and from then
on it can no longer be delivered, disputed or resolved (``WindowClosed``), whether
the hook has run yet or not (a transaction runs before END_BLOCK in its block, and
a capped hook may leave due milestones for later blocks).  Accepting a delivered
milestone and reclaiming an undelivered one stay possible: they do exactly what
block time would do.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain.domain.agreements import settle
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements.events import AgreementRated, DisputeOpened, MilestoneDelivered
from abci_app.chain.domain.agreements.messages import (AcceptMilestone, DeliverMilestone, DisputeMilestone, RateAgreement,
                                                 ReclaimMilestone, ResolveDispute)
from abci_app.chain.domain.agreements.state import BONDS, PROVIDER, REQUESTER, Agreement, Milestone, MilestoneStatus as S
from abci_app.chain.domain.market.params import BPS
from abci_app.chain.domain.reputation import state as reputation
from abci_app.chain.errors import (AgreementNotFound, AgreementNotSettled, AgreementSettled, AlreadyRated, DeadlineNotPassed,
                             InvalidHash, InvalidScore, InvalidSplit, MilestoneNotFound, NotArbiter, NotParty,
                             WindowClosed, WrongMilestoneState)
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite


def check_hash(value: bytes, what: str, required: bool = False) -> None:
    """Reject a hash that is not 32 bytes (an empty optional hash passes)."""
    if (value or required) and len(value) != 32:
        raise InvalidHash(f"{what} must be a 32-byte SHA-256 hash, got {len(value)} bytes")


def load(state: StateRead, agreement_id: int) -> Agreement:
    """Return an unsettled agreement or raise."""
    agreement = agreements.get(state, agreement_id)
    if agreement is None:
        raise AgreementNotFound(f"agreement {agreement_id} not found")
    if agreement.settled:
        raise AgreementSettled(f"agreement {agreement_id} is already settled ({agreement.outcome})")
    return agreement


def require_role(agreement: Agreement, signer: str, *roles: str) -> str:
    role = agreement.role_of(signer)
    if role not in roles:
        raise NotParty(f"only the {' or '.join(roles)} of agreement {agreement.id} may do this; {signer} is not")
    return role


def milestone_in(agreement: Agreement, index: int, *states: S) -> Milestone:
    if index >= len(agreement.milestones):
        raise MilestoneNotFound(f"agreement {agreement.id} has no milestone {index + 1}")
    ms = agreement.milestones[index]
    if ms.status not in states:
        allowed = ", ".join(s.value for s in states)
        raise WrongMilestoneState(f"milestone {index + 1} of agreement {agreement.id} is {ms.status.value}, needs {allowed}")
    return ms


def require_open_window(ms: Milestone, index: int, block: BlockInfo, what: str) -> None:
    """Refuse acting on a milestone whose window (``due_at``) has ended at block time."""
    if block.time >= ms.due_at:
        raise WindowClosed(f"milestone {index + 1}'s {what} ended at {ms.due_at}; block time is {block.time}")


def counted(agreement: Agreement, ctx: TxContext) -> Agreement:
    return replace(agreement, txs=agreement.txs + 1, fees=agreement.fees + ctx.fee)


def with_milestone(state: StateWrite, agreement: Agreement, index: int, ms: Milestone, due_at: int) -> Agreement:
    """Store ``agreement`` with milestone ``index`` replaced and rescheduled at ``due_at``."""
    old = agreement.milestones[index]
    agreements.unschedule(state, agreement.id, index, old.due_at)
    agreements.schedule(state, agreement.id, index, due_at)
    ms = replace(ms, due_at=due_at)
    agreement = replace(agreement, milestones=agreement.milestones[:index] + (ms,) + agreement.milestones[index + 1:])
    return agreements.put(state, agreement)


def check_stateless_deliver(msg: DeliverMilestone, ctx: TxContext) -> None:
    check_hash(msg.delivery_hash, "delivery hash", required=True)


def check_and_execute_deliver(state: StateWrite, block: BlockInfo, ctx: TxContext,
                              msg: DeliverMilestone) -> list[object]:
    """Provider: active -> delivered (late delivery is allowed until reclaimed or deadline + reclaim window)."""
    agreement = load(state, msg.agreement_id)
    require_role(agreement, ctx.signer, PROVIDER)
    ms = milestone_in(agreement, msg.milestone, S.ACTIVE)
    require_open_window(ms, msg.milestone, block, "deadline + reclaim window")
    review = block.market.review_window
    delivered = replace(ms, status=S.DELIVERED, delivered_at=block.time, delivery_hash=msg.delivery_hash)
    with_milestone(state, counted(agreement, ctx), msg.milestone, delivered, block.time + review)
    return [MilestoneDelivered(agreement.id, msg.milestone, msg.delivery_hash, block.time <= ms.deadline)]


def check_stateless_accept(msg: AcceptMilestone, ctx: TxContext) -> None:
    pass


def check_and_execute_accept(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: AcceptMilestone) -> list[object]:
    """Requester: delivered -> completed; the milestone's escrow goes to the provider."""
    agreement = load(state, msg.agreement_id)
    require_role(agreement, ctx.signer, REQUESTER)
    milestone_in(agreement, msg.milestone, S.DELIVERED)
    _, events = settle.settle_milestone(state, block, counted(agreement, ctx), msg.milestone, S.COMPLETED, BPS)
    return events


def check_stateless_reclaim(msg: ReclaimMilestone, ctx: TxContext) -> None:
    pass


def check_and_execute_reclaim(state: StateWrite, block: BlockInfo, ctx: TxContext,
                              msg: ReclaimMilestone) -> list[object]:
    """Requester: active past its deadline -> reclaimed; escrow refunded, the agreement counts as broken."""
    agreement = load(state, msg.agreement_id)
    require_role(agreement, ctx.signer, REQUESTER)
    ms = milestone_in(agreement, msg.milestone, S.ACTIVE)
    if block.time <= ms.deadline:
        raise DeadlineNotPassed(f"milestone {msg.milestone + 1} is due at {ms.deadline}; block time is {block.time}")
    _, events = settle.settle_milestone(state, block, counted(agreement, ctx), msg.milestone, S.RECLAIMED, 0)
    return events


def check_stateless_dispute(msg: DisputeMilestone, ctx: TxContext) -> None:
    check_hash(msg.reason_hash, "reason hash")


def check_and_execute_dispute(state: StateWrite, block: BlockInfo, ctx: TxContext,
                              msg: DisputeMilestone) -> list[object]:
    """Requester, within the review window: delivered -> disputed; its bond is escrowed, arbitration starts.

    An undelivered milestone cannot be disputed (its remedy is the reclaim), and the
    provider never disputes (its remedy against a silent requester is the release).
    """
    agreement = load(state, msg.agreement_id)
    role = require_role(agreement, ctx.signer, REQUESTER)
    ms = milestone_in(agreement, msg.milestone, S.DELIVERED)
    require_open_window(ms, msg.milestone, block, "review window")
    params = block.market
    bond = ms.amount * params.dispute_bond_bps // BPS
    if bond:
        accounts.move(state, ctx.signer, BONDS, bond)
    disputed = replace(ms, status=S.DISPUTED, disputed_at=block.time, disputed_by=role, reason_hash=msg.reason_hash,
                       bond=bond, bond_payer=ctx.signer)
    with_milestone(state, counted(agreement, ctx), msg.milestone, disputed, block.time + params.arbitration_window)
    return [DisputeOpened(agreement.id, msg.milestone, role, bond)]


def check_stateless_resolve(msg: ResolveDispute, ctx: TxContext) -> None:
    if msg.provider_bps > BPS:
        raise InvalidSplit(f"provider share must be 0..{BPS} basis points, got {msg.provider_bps}")


def check_and_execute_resolve(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: ResolveDispute) -> list[object]:
    """Arbiter, within the arbitration window: disputed -> resolved; amount and bond split as given."""
    agreement = load(state, msg.agreement_id)
    if not agreement.arbiter or ctx.signer != agreement.arbiter:
        raise NotArbiter(f"only the arbiter of agreement {agreement.id} may resolve its disputes")
    ms = milestone_in(agreement, msg.milestone, S.DISPUTED)
    require_open_window(ms, msg.milestone, block, "arbitration window")
    _, events = settle.settle_milestone(state, block, counted(agreement, ctx), msg.milestone, S.RESOLVED,
                                        msg.provider_bps)
    return events


def check_stateless_rate(msg: RateAgreement, ctx: TxContext) -> None:
    if not 1 <= msg.score <= 5:
        raise InvalidScore(f"score must be 1 to 5, got {msg.score}")
    check_hash(msg.comment_hash, "comment hash")


def check_and_execute_rate(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: RateAgreement) -> list[object]:
    """Either party of a settled agreement rates the other, once; the rating feeds reputation.

    A good rating adds points only within what is left of the agreement's gain cap
    (``settle.gain_cap``) after its settlement's points: two keys rating each other
    earn nothing the deal's fees did not pay for.  A bad rating always counts.
    """
    agreement = agreements.get(state, msg.agreement_id)
    if agreement is None:
        raise AgreementNotFound(f"agreement {msg.agreement_id} not found")
    role = require_role(agreement, ctx.signer, REQUESTER, PROVIDER)
    if not agreement.settled:
        raise AgreementNotSettled(f"agreement {agreement.id} is not settled yet")
    if agreements.get_rating(state, agreement.id, role) is not None:
        raise AlreadyRated(f"the {role} already rated agreement {agreement.id}")
    rated = agreement.provider if role == REQUESTER else agreement.requester
    agreements.put_rating(state, role, agreements.Rating(agreement.id, ctx.signer, rated, msg.score,
                                                         msg.comment_hash, block.time))
    half_life = block.market.reputation_half_life
    counts = reputation.Counts(ratings_received=1, rating_sum=msg.score)
    rated_role = PROVIDER if role == REQUESTER else REQUESTER
    settled_gain, _ = reputation.gain_and_loss(settle.party_counts(agreement, rated_role))
    cap = max(settle.gain_cap(block.market, agreement) - settled_gain, 0)
    reputation.add(state, rated, agreement.tags, counts, block.time, half_life, cap)
    return [AgreementRated(agreement.id, ctx.signer, rated, msg.score)]
