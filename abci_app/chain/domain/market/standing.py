"""Handlers of standing offers: a service at a fixed price that a requester takes directly."""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain.domain.accounts.handlers import check_amount
from abci_app.chain.domain.agreements import settle
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.market import checks
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.events import StandingOfferPublished, StandingOfferWithdrawn
from abci_app.chain.domain.market.messages import PublishStandingOffer, TakeStandingOffer, WithdrawStandingOffer
from abci_app.chain.domain.market.state import StandingOffer
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.errors import InvalidArbiter, InvalidExpiry, NotProvider, StandingOfferClosed, StandingOfferNotFound
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite


def open_standing(state: StateRead, standing_id: int) -> StandingOffer:
    standing = market.get_standing(state, standing_id)
    if standing is None:
        raise StandingOfferNotFound(f"standing offer {standing_id} not found")
    if not standing.open:
        raise StandingOfferClosed(f"standing offer {standing_id} is withdrawn")
    return standing


def check_stateless_publish(msg: PublishStandingOffer, ctx: TxContext) -> None:
    checks.check_title(msg.title, ctx)
    checks.check_description(msg.description, ctx)
    checks.check_tags(msg.tags)
    check_amount(msg.price, "price")
    if msg.delivery_seconds == 0:
        raise InvalidExpiry("delivery_seconds must be positive")
    if msg.terms:
        checks.check_hash(msg.terms, "terms document hash")
    checks.check_optional_arbiter(msg.arbiter)


def check_and_execute_publish(state: StateWrite, block: BlockInfo, ctx: TxContext,
                              msg: PublishStandingOffer) -> list[object]:
    """Provider: publish a standing offer; it stays open until withdrawn and holds no value."""
    window = block.market.max_delivery_window
    if msg.delivery_seconds > window:
        raise InvalidExpiry(f"delivery_seconds must be at most {window}")
    if msg.arbiter == ctx.signer:
        raise InvalidArbiter("the arbiter must not be the provider")
    if msg.terms:
        checks.require_documents(state, (msg.terms,))
    standing = StandingOffer(market.next_id(state, "standing"), ctx.signer, msg.title, msg.description,
                             tuple(sorted(msg.tags)), msg.price, msg.delivery_seconds, msg.terms, msg.arbiter,
                             True, block.time)
    market.put_standing(state, standing)
    return [StandingOfferPublished(standing.id, ctx.signer, msg.price, standing.tags)]


def check_stateless_withdraw(msg: WithdrawStandingOffer, ctx: TxContext) -> None:
    pass


def check_and_execute_withdraw(state: StateWrite, block: BlockInfo, ctx: TxContext,
                               msg: WithdrawStandingOffer) -> list[object]:
    """Provider: open -> withdrawn (agreements already made from it are unaffected)."""
    standing = open_standing(state, msg.standing_offer_id)
    if standing.provider != ctx.signer:
        raise NotProvider(f"only the provider may withdraw standing offer {standing.id}")
    market.put_standing(state, replace(standing, open=False))
    return [StandingOfferWithdrawn(standing.id)]


def check_stateless_take(msg: TakeStandingOffer, ctx: TxContext) -> None:
    pass


def check_and_execute_take(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: TakeStandingOffer) -> list[object]:
    """Requester: take a standing offer; the price goes into escrow, due ``delivery_seconds`` from now."""
    standing = open_standing(state, msg.standing_offer_id)
    checks.require_parties(ctx.signer, standing.provider, standing.arbiter)
    if msg.project_id:
        checks.require_project_owner(state, msg.project_id, ctx.signer)
        projects.require_room(state, msg.project_id, block.market.max_project_items)
    deadline = block.time + standing.delivery_seconds
    milestone = agreements.Milestone(standing.title, standing.price, deadline)
    agreement = agreements.Agreement(
        agreements.next_id(state), ctx.signer, standing.provider, standing.arbiter, standing.price, 0, standing.terms,
        standing.tags, msg.project_id, 0, standing.id, (milestone,), block.time, block.time, 0, 1, ctx.fee)
    events = settle.open_agreement(state, block, agreement)
    market.put_standing(state, replace(standing, taken=standing.taken + 1))
    if standing.terms:
        documents.attach(state, "agreement", agreement.id, documents.Attachment(standing.terms, ctx.signer, block.time))
    if msg.project_id:
        projects.record(state, msg.project_id, projects.HistoryEntry(block.time, "agreement_made", ctx.signer,
                                                                     standing.price, agreement.id))
    return events
