"""Handlers of requests and offers, and the end-of-block expiry of requests.

A request is open while ``block.time < offers_until``; from that time on no
offer can be made or accepted, and the end-of-block hook marks it expired (at
most ``max_due_per_block`` per block, earliest first).  Closing a request never
touches its other offers: they close lazily (``market.offer_status``), so the
work of accepting, withdrawing or expiring a request does not grow with its offers.  Each transaction on a request or its offers adds to the
request's friction counters, which the agreement inherits.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain.domain.accounts.handlers import check_amount
from abci_app.chain.domain import due
from abci_app.chain.domain.agreements import settle
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.market import checks, keys
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.events import OfferClosed, OfferMade, RequestClosed, RequestPosted
from abci_app.chain.domain.market.messages import AcceptOffer, MakeOffer, MilestoneSpec, PostRequest, WithdrawOffer, WithdrawRequest
from abci_app.chain.domain.market.state import Offer, OfferStatus, Request, RequestStatus
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.stored import stored
from abci_app.chain.errors import (DeadlinePassed, InvalidExpiry, InvalidMilestones, NotProvider, NotRequester, OfferClosed as
                             OfferClosedError, OfferNotFound, PriceAboveBudget, RequestClosed as RequestClosedError,
                             RequestNotFound)
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite

MAX_MILESTONES = 16


def open_request(state: StateRead, block: BlockInfo, request_id: int) -> Request:
    request = market.get_request(state, request_id)
    if request is None:
        raise RequestNotFound(f"request {request_id} not found")
    if request.status is not RequestStatus.OPEN or block.time >= request.offers_until:
        raise RequestClosedError(f"request {request_id} is not open for offers")
    return request


def open_offer(state: StateRead, block: BlockInfo, offer_id: int) -> Offer:
    """Return an offer that is open as of block time (its request still takes offers)."""
    offer = market.get_offer(state, offer_id)
    if offer is None:
        raise OfferNotFound(f"offer {offer_id} not found")
    status = market.offer_status(state, offer, block.time)
    if status is not OfferStatus.OPEN:
        raise OfferClosedError(f"offer {offer_id} is {status.value}")
    return offer


def counted(request: Request, ctx: TxContext) -> Request:
    return replace(request, txs=request.txs + 1, fees=request.fees + ctx.fee)


def close_request(state: StateWrite, request: Request, status: RequestStatus) -> list[object]:
    """Close an open request and store it; its open offers close with it, lazily (O(1))."""
    market.unschedule(state, request)
    if request.project_id:
        projects.unlink_request(state, request.project_id, request.id)
    market.put_request(state, replace(request, status=status))
    return [RequestClosed(request.id, status.value)]


def check_stateless_post_request(msg: PostRequest, ctx: TxContext) -> None:
    checks.check_title(msg.title, ctx)
    checks.check_description(msg.description, ctx)
    checks.check_tags(msg.tags)
    checks.check_budget(msg.budget)
    checks.check_document_hashes(msg.documents)


def check_and_execute_post_request(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                   msg: PostRequest) -> list[object]:
    """Open a request accepting offers until ``offers_until`` (within the genesis offer window)."""
    window = block.market.max_offer_window
    if not block.time < msg.offers_until <= block.time + window:
        raise InvalidExpiry(f"offers_until must be after block time {block.time} and within {window} s of it")
    checks.require_documents(state, msg.documents)
    if msg.project_id:
        checks.require_project_owner(state, msg.project_id, ctx.signer)
        projects.require_room(state, msg.project_id, block.market.max_project_items)
    request = Request(market.next_id(state, "request"), ctx.signer, msg.title, msg.description, tuple(sorted(msg.tags)),
                      msg.budget, msg.offers_until, msg.documents, msg.project_id, RequestStatus.OPEN, block.time,
                      txs=1, fees=ctx.fee)
    market.put_request(state, request)
    market.schedule(state, request)
    for value in msg.documents:
        documents.attach(state, "request", request.id, documents.Attachment(value, ctx.signer, block.time))
    if msg.project_id:
        projects.link_request(state, msg.project_id, request.id)
        projects.record(state, msg.project_id, projects.HistoryEntry(block.time, "request_posted", ctx.signer,
                                                                     msg.budget, request.id))
    return [RequestPosted(request.id, ctx.signer, msg.budget, msg.offers_until, msg.project_id, request.tags)]


def check_stateless_withdraw_request(msg: WithdrawRequest, ctx: TxContext) -> None:
    pass


def check_and_execute_withdraw_request(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                       msg: WithdrawRequest) -> list[object]:
    """Requester: open -> withdrawn; its open offers close."""
    request = open_request(state, block, msg.request_id)
    if request.requester != ctx.signer:
        raise NotRequester(f"only the requester may withdraw request {request.id}")
    return close_request(state, request, RequestStatus.WITHDRAWN)


def check_milestones(msg: MakeOffer, ctx: TxContext) -> None:
    if len(msg.milestones) > MAX_MILESTONES:
        raise InvalidMilestones(f"at most {MAX_MILESTONES} milestones allowed, got {len(msg.milestones)}")
    for index, ms in enumerate(msg.milestones):
        checks.check_title(ms.title, ctx, f"milestone {index + 1} title")
        check_amount(ms.amount, f"milestone {index + 1} amount")
        if not 0 < ms.deadline <= msg.deadline:
            raise InvalidMilestones(f"milestone {index + 1} deadline must be positive and not after the offer deadline")
    if msg.milestones and sum(ms.amount for ms in msg.milestones) != msg.price:
        raise InvalidMilestones("milestone amounts must add up to the price")


def check_stateless_make_offer(msg: MakeOffer, ctx: TxContext) -> None:
    check_amount(msg.price, "price")
    check_milestones(msg, ctx)
    if msg.terms:
        checks.check_hash(msg.terms, "terms document hash")
    checks.check_optional_arbiter(msg.arbiter)


def check_deadlines(state: StateRead, block: BlockInfo, deadline: int, milestones: tuple[MilestoneSpec, ...]) -> None:
    """Every deadline lies after block time; the last within the genesis delivery window."""
    window = block.market.max_delivery_window
    if deadline > block.time + window:
        raise InvalidExpiry(f"deadline must be within {window} s of block time")
    if min([deadline] + [m.deadline for m in milestones]) <= block.time:
        raise DeadlinePassed(f"every deadline must be after block time {block.time}")


def check_and_execute_make_offer(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: MakeOffer) -> list[object]:
    """Provider: make an open offer on an open request (at most its budget, if it has one)."""
    request = open_request(state, block, msg.request_id)
    checks.require_parties(request.requester, ctx.signer, msg.arbiter)
    if request.budget and msg.price > request.budget:
        raise PriceAboveBudget(f"price {msg.price} exceeds the request budget {request.budget}")
    check_deadlines(state, block, msg.deadline, msg.milestones)
    if msg.terms:
        checks.require_documents(state, (msg.terms,))
    offer = Offer(market.next_id(state, "offer"), request.id, ctx.signer, msg.price, msg.deadline, msg.milestones,
                  msg.terms, msg.arbiter, OfferStatus.OPEN, block.time)
    market.put_offer(state, offer)
    market.link_offer(state, request.id, offer.id)
    if msg.terms:
        documents.attach(state, "offer", offer.id, documents.Attachment(msg.terms, ctx.signer, block.time))
    request = replace(counted(request, ctx), offer_count=request.offer_count + 1,
                      first_offer_at=request.first_offer_at or block.time)
    market.put_request(state, request)
    return [OfferMade(offer.id, request.id, ctx.signer, msg.price, msg.deadline)]


def check_stateless_withdraw_offer(msg: WithdrawOffer, ctx: TxContext) -> None:
    pass


def check_and_execute_withdraw_offer(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                     msg: WithdrawOffer) -> list[object]:
    """Provider: open -> withdrawn."""
    offer = open_offer(state, block, msg.offer_id)
    if offer.provider != ctx.signer:
        raise NotProvider(f"only the provider may withdraw offer {offer.id}")
    market.put_offer(state, replace(offer, status=OfferStatus.WITHDRAWN))
    market.unlink_offer(state, offer.request_id, offer.id)
    market.put_request(state, counted(stored(market.get_request(state, offer.request_id), f"request {offer.request_id}"), ctx))
    return [OfferClosed(offer.id, offer.request_id, OfferStatus.WITHDRAWN.value)]


def check_stateless_accept_offer(msg: AcceptOffer, ctx: TxContext) -> None:
    pass


def milestones_of(offer: Offer) -> tuple[agreements.Milestone, ...]:
    specs = offer.milestones or (MilestoneSpec("delivery", offer.price, offer.deadline),)
    return tuple(agreements.Milestone(s.title, s.amount, s.deadline) for s in specs)


def check_and_execute_accept_offer(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                   msg: AcceptOffer) -> list[object]:
    """Requester: accept an open offer; escrow the price; the request and its other offers close (lazily)."""
    offer = open_offer(state, block, msg.offer_id)
    request = open_request(state, block, offer.request_id)
    if request.requester != ctx.signer:
        raise NotRequester(f"only the requester of request {request.id} may accept its offers")
    checks.require_parties(request.requester, offer.provider, offer.arbiter)
    check_deadlines(state, block, offer.deadline, offer.milestones)
    request = counted(request, ctx)
    agreement = agreements.Agreement(
        agreements.next_id(state), request.requester, offer.provider, offer.arbiter, offer.price, 0, offer.terms,
        request.tags, request.project_id, request.id, 0, milestones_of(offer), block.time, request.posted_at,
        request.first_offer_at, request.txs, request.fees)
    events = settle.open_agreement(state, block, agreement)
    if offer.terms:
        documents.attach(state, "agreement", agreement.id, documents.Attachment(offer.terms, ctx.signer, block.time))
    market.put_offer(state, replace(offer, status=OfferStatus.ACCEPTED))
    market.unlink_offer(state, request.id, offer.id)
    events.append(OfferClosed(offer.id, request.id, OfferStatus.ACCEPTED.value))
    request = replace(request, agreement_id=agreement.id)
    events += close_request(state, request, RequestStatus.ACCEPTED)
    if request.project_id:
        projects.record(state, request.project_id, projects.HistoryEntry(block.time, "agreement_made", ctx.signer,
                                                                         offer.price, agreement.id))
    return events


def end_block(state: StateWrite, block: BlockInfo) -> list[object]:
    """Expire the open requests whose offer period has ended: at most ``max_due_per_block``, earliest first."""
    entries, report = due.take(state, due.REQUESTS, keys.DUE_PREFIX, block)
    events: list[object] = []
    for request_id in entries:
        events += close_request(state, stored(market.get_request(state, request_id), f"request {request_id}"),
                                RequestStatus.EXPIRED)
    return events + report
