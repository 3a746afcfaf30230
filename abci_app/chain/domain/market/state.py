"""Typed state access for requests, offers and standing offers.

# Invariants
* An ``OPEN`` request has exactly one due key (at ``offers_until``); a closed one has none.
* While a request is open, its open offers are exactly the offers linked under
  ``offers_of``.  An offer's stored status changes only when it is withdrawn or
  accepted: when its request closes, its other offers close *lazily* — their
  effective status (``offer_status``) is ``CLOSED`` because the request no longer
  takes offers, and nothing is written per offer, so closing a request costs the
  same with 1 or 10,000 offers (issue #12).  Links of a closed request are left
  in place and mean nothing.
* A request whose ``offers_until`` has passed is effectively ``EXPIRED``
  (``request_status``) even while it waits in the expiry queue.
* No value is held by requests or offers: funds move only when an agreement is made.
* An open request, offer or standing offer is listed under its requester or
  provider (``keys.REQUESTS_BY`` and friends) exactly while it is open, so a
  dissolving organization's open items are found without a scan.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Iterator

from abci_app.chain import codec
from abci_app.chain.domain.market import keys
from abci_app.chain.domain.market.messages import MilestoneSpec
from abci_app.chain.state import timers
from abci_app.chain.state.protocols import StateRead, StateWrite


class RequestStatus(enum.Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


class OfferStatus(enum.Enum):
    OPEN = "open"
    ACCEPTED = "accepted"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"     # its request was accepted (another offer), withdrawn or expired


@dataclass(frozen=True, slots=True)
class Request:
    id: int
    requester: str
    title: str
    description: str
    tags: tuple[str, ...]
    budget: int
    offers_until: int
    documents: tuple[bytes, ...]
    project_id: int
    status: RequestStatus
    posted_at: int
    first_offer_at: int = 0
    offer_count: int = 0
    agreement_id: int = 0
    txs: int = 0          # transactions spent on this request and its offers (friction figures)
    fees: int = 0


@dataclass(frozen=True, slots=True)
class Offer:
    id: int
    request_id: int
    provider: str
    price: int
    deadline: int
    milestones: tuple[MilestoneSpec, ...]
    terms: bytes
    arbiter: str
    status: OfferStatus
    made_at: int


@dataclass(frozen=True, slots=True)
class StandingOffer:
    id: int
    provider: str
    title: str
    description: str
    tags: tuple[str, ...]
    price: int
    delivery_seconds: int
    terms: bytes
    arbiter: str
    open: bool
    published_at: int
    taken: int = 0


def next_id(state: StateWrite, kind: str) -> int:
    raw = state.get(keys.next_id(kind))
    value = 1 if raw is None else int(raw)
    state.put(keys.next_id(kind), str(value + 1).encode())
    return value


def get_request(state: StateRead, request_id: int) -> Request | None:
    raw = state.get(keys.request(request_id))
    return None if raw is None else codec.decode_value(Request, raw)


def put_request(state: StateWrite, request: Request) -> None:
    state.put(keys.request(request.id), codec.encode_value(request))
    _index(state, keys.REQUESTS_BY, request.requester, request.id, request.status is RequestStatus.OPEN)


def hand_over_request(state: StateWrite, request: Request, requester: str) -> None:
    """Store ``request`` with a new requester (a project transfer), moving its open-by-address entry."""
    _index(state, keys.REQUESTS_BY, request.requester, request.id, False)
    put_request(state, replace(request, requester=requester))


def get_offer(state: StateRead, offer_id: int) -> Offer | None:
    raw = state.get(keys.offer(offer_id))
    return None if raw is None else codec.decode_value(Offer, raw)


def put_offer(state: StateWrite, offer: Offer) -> None:
    state.put(keys.offer(offer.id), codec.encode_value(offer))
    _index(state, keys.OFFERS_BY, offer.provider, offer.id, offer.status is OfferStatus.OPEN)


def get_standing(state: StateRead, standing_id: int) -> StandingOffer | None:
    raw = state.get(keys.standing_offer(standing_id))
    return None if raw is None else codec.decode_value(StandingOffer, raw)


def put_standing(state: StateWrite, standing: StandingOffer) -> None:
    state.put(keys.standing_offer(standing.id), codec.encode_value(standing))
    _index(state, keys.STANDING_BY, standing.provider, standing.id, standing.open)


def _index(state: StateWrite, prefix: bytes, address: str, item_id: int, is_open: bool) -> None:
    """Keep ``item_id`` listed under ``address`` exactly while it is open."""
    if is_open:
        state.put(keys.by_address_link(prefix, address, item_id), b"")
    else:
        state.delete(keys.by_address_link(prefix, address, item_id))


def first_open_of(state: StateRead, prefix: bytes, address: str) -> int | None:
    """Return the lowest id of an open request, offer or standing offer (``prefix``) of ``address``."""
    start = keys.by_address(prefix, address)
    for key, _ in state.iter_prefix(start):
        return int(key[len(start):], 16)
    return None


def link_offer(state: StateWrite, request_id: int, offer_id: int) -> None:
    state.put(keys.offer_link(request_id, offer_id), b"")


def unlink_offer(state: StateWrite, request_id: int, offer_id: int) -> None:
    state.delete(keys.offer_link(request_id, offer_id))


def open_offer_ids(state: StateRead, request_id: int) -> list[int]:
    """The open offers of an open request (its linked offers); a closed request has none."""
    request = get_request(state, request_id)
    if request is None or request.status is not RequestStatus.OPEN:
        return []
    prefix = keys.offers_of(request_id)
    return [int(k[len(prefix):], 16) for k, _ in state.iter_prefix(prefix)]


def request_status(request: Request, now: int) -> RequestStatus:
    """The status as of block time ``now``: an open request past ``offers_until`` is ``EXPIRED``.

    The expiry queue may not have reached it yet (at most ``max_due_per_block``
    requests expire per block); handlers and queries treat it as expired already.
    """
    if request.status is RequestStatus.OPEN and now >= request.offers_until:
        return RequestStatus.EXPIRED
    return request.status


def offer_status(state: StateRead, offer: Offer, now: int) -> OfferStatus:
    """The status as of block time ``now``: an open offer on a request that takes no offers is ``CLOSED``."""
    if offer.status is not OfferStatus.OPEN:
        return offer.status
    request = get_request(state, offer.request_id)
    if request is None or request_status(request, now) is not RequestStatus.OPEN:
        return OfferStatus.CLOSED
    return OfferStatus.OPEN


def schedule(state: StateWrite, request: Request) -> None:
    state.put(keys.due(request.offers_until, request.id), b"")


def unschedule(state: StateWrite, request: Request) -> None:
    state.delete(keys.due(request.offers_until, request.id))


def due_requests(state: StateRead, now: int) -> list[int]:
    """Return the ids of open requests whose offer period ends at or before ``now``, in time order."""
    return timers.due_ids(state, keys.DUE_PREFIX, now)


def all_requests(state: StateRead) -> Iterator[Request]:
    for _, raw in state.iter_prefix(keys.REQUEST_PREFIX):
        yield codec.decode_value(Request, raw)


def all_offers(state: StateRead) -> Iterator[Offer]:
    for _, raw in state.iter_prefix(keys.OFFER_PREFIX):
        yield codec.decode_value(Offer, raw)


def all_standing(state: StateRead) -> Iterator[StandingOffer]:
    for _, raw in state.iter_prefix(keys.STANDING_PREFIX):
        yield codec.decode_value(StandingOffer, raw)
