"""Requests (vraag), offers (aanbod) and standing offers through ``abci_app.chain.domain.market``.

Each list walks its records in id order (the state's own keys) with keyset cursors;
the filters (status, requester/provider, tag, request, project) apply to the walk,
within the operation's scan budget.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain import codec
from abci_app.chain.domain.market import keys, state as market
from graphql_api import history
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, take
from graphql_api.types.common import BigInt, BlockHeight, int_id, state_height, walk_ids


@strawberry.type(name="Request")
class Request:
    id: str
    requester: str
    title: str
    description: str
    tags: list[str]
    budget: BigInt
    offers_until: int
    documents: list[str]
    project: str | None
    status: str
    posted_at: int
    first_offer_at: int
    offer_count: int
    agreement: str | None
    cursor: str


@strawberry.type(name="Offer")
class Offer:
    id: str
    request: str
    provider: str
    price: BigInt
    deadline: int
    terms: str
    arbiter: str
    status: str
    made_at: int
    cursor: str
    milestones: list["OfferMilestone"] = strawberry.field(
        default_factory=list, description="the milestones the offer proposes (empty: one of the whole price)")


@strawberry.type(name="OfferMilestone")
class OfferMilestone:
    title: str
    amount: BigInt
    deadline: int


@strawberry.type(name="StandingOffer")
class StandingOffer:
    id: str
    provider: str
    title: str
    description: str
    tags: list[str]
    price: BigInt
    delivery_seconds: int
    terms: str
    arbiter: str
    open: bool
    published_at: int
    taken: int
    cursor: str


def _opt(number: int) -> str | None:
    return str(number) if number else None


def make_request(r: market.Request, state, now: int) -> Request:
    """The request as of block time ``now``: past ``offers_until`` it reads ``expired`` even while it waits
    in the expiry queue (at most ``max_due_per_block`` requests expire per block)."""
    return Request(id=str(r.id), requester=r.requester, title=r.title, description=r.description, tags=list(r.tags),
                   budget=r.budget, offers_until=r.offers_until, documents=[d.hex() for d in r.documents],
                   project=_opt(r.project_id), status=market.request_status(r, now).value, posted_at=r.posted_at,
                   first_offer_at=r.first_offer_at, offer_count=r.offer_count, agreement=_opt(r.agreement_id),
                   cursor=encode_cursor("request", str(r.id).encode()))


def make_offer(o: market.Offer, state, now: int) -> Offer:
    """The offer as of block time ``now``: an open offer on a request that takes no more offers reads ``closed``
    (a request's other offers close with it, lazily)."""
    return Offer(id=str(o.id), request=str(o.request_id), provider=o.provider, price=o.price, deadline=o.deadline,
                 terms=o.terms.hex(), arbiter=o.arbiter, status=market.offer_status(state, o, now).value,
                 made_at=o.made_at, milestones=[OfferMilestone(title=m.title, amount=m.amount, deadline=m.deadline) for m in o.milestones],
                 cursor=encode_cursor("offer", str(o.id).encode()))


def make_standing(s: market.StandingOffer, state=None, now: int = 0) -> StandingOffer:
    return StandingOffer(id=str(s.id), provider=s.provider, title=s.title, description=s.description,
                         tags=list(s.tags), price=s.price, delivery_seconds=s.delivery_seconds, terms=s.terms.hex(),
                         arbiter=s.arbiter, open=s.open, published_at=s.published_at, taken=s.taken,
                         cursor=encode_cursor("standing", str(s.id).encode()))


@strawberry.input(name="Request_filter")
class RequestFilter:
    status: str | None = None
    status_in: list[str] | None = None
    requester: str | None = None
    tag: str | None = None
    project: str | None = None

    def matches(self, r: Request) -> bool:
        return ((self.status is None or r.status == self.status) and (self.status_in is None or r.status in self.status_in)
                and (self.requester is None or r.requester == self.requester)
                and (self.tag is None or self.tag in r.tags) and (self.project is None or r.project == self.project))


@strawberry.input(name="Offer_filter")
class OfferFilter:
    request: str | None = None
    provider: str | None = None
    status: str | None = None

    def matches(self, o: Offer) -> bool:
        return ((self.request is None or o.request == self.request)
                and (self.provider is None or o.provider == self.provider)
                and (self.status is None or o.status == self.status))


@strawberry.input(name="StandingOffer_filter")
class StandingOfferFilter:
    provider: str | None = None
    open: bool | None = None
    tag: str | None = None

    def matches(self, s: StandingOffer) -> bool:
        return ((self.provider is None or s.provider == self.provider) and (self.open is None or s.open == self.open)
                and (self.tag is None or self.tag in s.tags))


def _page(info: Info, kind: str, prefix: bytes, key_of, cls, make, where, first, after, direction, block):
    ctx = info.context
    ctx.check_deadline()
    size = check_first(first, ctx.config.max_first)
    after_id = None if after is None else int_id(decode_cursor(kind, after).decode(), "a " + kind)
    with ctx.read() as reader:
        height = state_height(reader, block)
        state, now = reader.state_at(height), block_time(reader, height)
        rows = (make(codec.decode_value(cls, raw), state, now) for _k, raw in
                walk_ids(state, prefix, key_of, after_id, direction == OrderDirection.desc))
        return take(rows, size, where.matches, lambda: ctx.charge(reader))


def _one(info: Info, id: str, what: str, get, make, block):
    with info.context.read() as reader:
        height = state_height(reader, block)
        state = reader.state_at(height)
        found = get(state, int_id(id, what))
        return None if found is None else make(found, state, block_time(reader, height))


def block_time(reader, height: int) -> int:
    """The block time of ``height`` (statuses that block time moves are read as of it)."""
    if height == reader.committed.height:
        return reader.committed.time
    record = history.block(reader, height)
    return reader.committed.time if record is None else record.time


@strawberry.type
class MarketQueries:
    @strawberry.field(description="One request (vraag) by id")
    def request(self, info: Info, id: str, block: BlockHeight | None = None) -> Request | None:
        return _one(info, id, "a request", market.get_request, make_request, block)

    @strawberry.field(description="Requests in id order; keyset pagination with after")
    def requests(self, info: Info, first: int | None = None, after: str | None = None,
                 order_direction: OrderDirection = OrderDirection.asc, where: RequestFilter | None = None,
                 block: BlockHeight | None = None) -> list[Request]:
        return _page(info, "request", keys.REQUEST_PREFIX, keys.request, market.Request, make_request,
                     where or RequestFilter(), first, after, order_direction, block)

    @strawberry.field(description="One offer (aanbod) by id")
    def offer(self, info: Info, id: str, block: BlockHeight | None = None) -> Offer | None:
        return _one(info, id, "an offer", market.get_offer, make_offer, block)

    @strawberry.field(description="Offers in id order; keyset pagination with after")
    def offers(self, info: Info, first: int | None = None, after: str | None = None,
               order_direction: OrderDirection = OrderDirection.asc, where: OfferFilter | None = None,
               block: BlockHeight | None = None) -> list[Offer]:
        return _page(info, "offer", keys.OFFER_PREFIX, keys.offer, market.Offer, make_offer,
                     where or OfferFilter(), first, after, order_direction, block)

    @strawberry.field(description="One standing offer by id")
    def standing_offer(self, info: Info, id: str, block: BlockHeight | None = None) -> StandingOffer | None:
        return _one(info, id, "a standing offer", market.get_standing, make_standing, block)

    @strawberry.field(description="Standing offers in id order; keyset pagination with after")
    def standing_offers(self, info: Info, first: int | None = None, after: str | None = None,
                        order_direction: OrderDirection = OrderDirection.asc,
                        where: StandingOfferFilter | None = None,
                        block: BlockHeight | None = None) -> list[StandingOffer]:
        return _page(info, "standing", keys.STANDING_PREFIX, keys.standing_offer, market.StandingOffer, make_standing,
                     where or StandingOfferFilter(), first, after, order_direction, block)
