"""Agreements (milestones, escrow, status, ratings, friction figures) through ``abci_app.chain.domain.agreements``.

Listed in id order.  ``requester``/``provider``/``arbiter``/``party`` seek through the
``obj/`` index (``abci_app.adapter.records``: written from ``agreement_made`` events), so a
party's page costs O(log n + page); ``settled``, ``outcome``, ``tag`` and ``project``
filter the walk.  ``agreementUpdated`` streams an agreement each time a block emits
one of its events, read at that block.
"""

from __future__ import annotations

import heapq
import struct

import strawberry
from strawberry.types import Info

from abci_app.chain import codec
from abci_app.adapter import records
from abci_app.chain.domain.agreements import keys, state as agreements
from abci_app.chain.domain.friction import state as friction
from abci_app.adapter.storage.store import iter_prefix
from graphql_api import readers
from graphql_api.errors import ApiError
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, take
from graphql_api.types.common import BigInt, BlockHeight, state_height
from graphql_api.types.events import ids_touched
from graphql_api.types.friction import AgreementFigures, make_figures

AGREEMENT_CURSOR = "agreement"
MADE = "agreement_made"
PARTIES = ("requester", "provider", "arbiter")
EVENT_TYPES = [MADE, "milestone_delivered", "dispute_opened", "cancel_proposed", "cancel_withdrawn",
               "milestone_settled", "dispute_bond_settled", "agreement_settled", "agreement_rated"]


@strawberry.type(name="Milestone")
class Milestone:
    index: int
    title: str
    amount: BigInt
    deadline: int
    status: str
    due_at: int
    delivered_at: int
    delivery_hash: str
    disputed_at: int
    disputed_by: str
    to_provider: BigInt
    to_requester: BigInt
    to_community_pool: BigInt = strawberry.field(description="what a defaulted dispute gave to neither party")
    bond: BigInt = strawberry.field(description="dispute bond the requester posted (held while disputed)")
    settled_at: int


@strawberry.type(name="Rating")
class Rating:
    rater: str
    rated: str
    score: int
    comment_hash: str
    rated_at: int


def make_milestone(index: int, m: agreements.Milestone) -> Milestone:
    return Milestone(index=index, title=m.title, amount=m.amount, deadline=m.deadline, status=m.status.value,
                     due_at=m.due_at, delivered_at=m.delivered_at, delivery_hash=m.delivery_hash.hex(),
                     disputed_at=m.disputed_at, disputed_by=m.disputed_by, to_provider=m.to_provider,
                     to_requester=m.to_requester, to_community_pool=m.to_community_pool, bond=m.bond,
                     settled_at=m.settled_at)


@strawberry.type(name="Agreement")
class Agreement:
    """Plain fields, filled once per row by ``make_agreement``: a list of 100 agreements costs
    100 object constructions, not one resolver call per field (``ratings`` and ``friction``
    read more state, so they stay resolvers)."""

    id: str
    requester: str
    provider: str
    arbiter: str
    price: BigInt
    escrow: BigInt = strawberry.field(description="amount still held in escrow")
    terms: str = strawberry.field(description="hash of the off-chain terms, hex")
    tags: list[str]
    project: str | None
    request: str | None
    standing_offer: str | None
    milestones: list[Milestone]
    status: str = strawberry.field(description="open, or the outcome once settled")
    settled: bool
    outcome: str
    created_at: int
    settled_at: int
    txs: int = strawberry.field(description="transactions and fees spent on this agreement so far")
    fees: BigInt
    revision: int = strawberry.field(description="grows with every change; CancelAgreement names the one its signer saw")
    cancel_proposed_by: str = strawberry.field(description="requester or provider with a cancel proposal, else empty;"
                                               " void from cancelExpiresAt on")
    cancel_expires_at: int
    record: strawberry.Private[agreements.Agreement]
    height: strawberry.Private[int]

    @strawberry.field
    def ratings(self, info: Info) -> list[Rating]:
        with info.context.read() as reader:
            state = reader.state_at(self.height)
            found = [agreements.get_rating(state, self.record.id, role) for role in
                     (agreements.REQUESTER, agreements.PROVIDER)]
        return [Rating(rater=r.rater, rated=r.rated, score=r.score, comment_hash=r.comment_hash.hex(),
                       rated_at=r.rated_at) for r in found if r is not None]

    @strawberry.field(description="transaction-cost figures, once settled")
    def friction(self, info: Info) -> AgreementFigures | None:
        with info.context.read() as reader:
            figures = friction.get_figures(reader.state_at(self.height), self.record.id)
        return None if figures is None else make_figures(figures)

    cursor: str


def _optional_id(value: int) -> str | None:
    return str(value) if value else None


def make_agreement(r: agreements.Agreement, height: int) -> Agreement:
    """Return the API object of an agreement record read at ``height``."""
    return Agreement(
        id=str(r.id), requester=r.requester, provider=r.provider, arbiter=r.arbiter, price=r.price, escrow=r.escrow,
        terms=r.terms.hex(), tags=list(r.tags), project=_optional_id(r.project_id), request=_optional_id(r.request_id),
        standing_offer=_optional_id(r.standing_offer_id),
        milestones=[make_milestone(i, m) for i, m in enumerate(r.milestones)],
        status=r.outcome if r.settled else "open", settled=r.settled, outcome=r.outcome, created_at=r.created_at,
        settled_at=r.settled_at, txs=r.txs, fees=r.fees, revision=r.revision, cancel_proposed_by=r.cancel_proposed_by,
        cancel_expires_at=r.cancel_expires_at, record=r, height=height,
        cursor=encode_cursor(AGREEMENT_CURSOR, str(r.id).encode()))


@strawberry.input(name="Agreement_filter")
class AgreementFilter:
    id_gt: str | None = None
    id_lt: str | None = None
    party: str | None = None
    requester: str | None = None
    provider: str | None = None
    arbiter: str | None = None
    settled: bool | None = None
    outcome: str | None = None
    outcome_in: list[str] | None = None
    tag: str | None = None
    project: str | None = None

    def matches(self, doc: dict) -> bool:
        """Test an agreement's stored document (``codec.read_plain``: its keys are the record's fields)."""
        return ((self.id_lt is None or doc["id"] < _int_id(self.id_lt))
                and (self.party is None or self.party in (doc["requester"], doc["provider"], doc["arbiter"]))
                and all(getattr(self, p) is None or getattr(self, p) == doc[p] for p in PARTIES)
                and (self.settled is None or doc["settled"] == self.settled)
                and (self.outcome is None or doc["outcome"] == self.outcome)
                and (self.outcome_in is None or doc["outcome"] in self.outcome_in)
                and (self.tag is None or self.tag in doc["tags"])
                and (self.project is None or str(doc["project_id"]) == self.project))

    def party_prefixes(self) -> list[bytes] | None:
        """Return the ``obj/`` prefixes to walk, or None to walk every agreement."""
        for attribute in PARTIES:
            if getattr(self, attribute) is not None:
                return [records.object_prefix(MADE, attribute, getattr(self, attribute))]
        if self.party is not None:
            return [records.object_prefix(MADE, a, self.party) for a in PARTIES]
        return None


def _int_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ApiError(f"not an agreement id: {text!r}") from None


def _ids_by_party(reader, prefixes: list[bytes], start: int, reverse: bool):
    """Yield agreement ids from the ``obj/`` index in id order (merged, without repeats)."""
    db = reader.store.db(b"index")
    seek = records.height_key(start) if start is not None else None
    streams = [_index_ids(reader.txn, db, p, seek, reverse) for p in prefixes]
    last = None
    for agreement_id in heapq.merge(*streams, reverse=reverse):
        if agreement_id != last:
            yield agreement_id
        last = agreement_id


def _index_ids(txn, db, prefix: bytes, seek: bytes | None, reverse: bool):
    for key, _ in iter_prefix(txn, db, prefix, None if seek is None else prefix + seek, reverse):
        yield struct.unpack(">Q", key[len(prefix):])[0]


def _listed(reader, where: AgreementFilter, after: int | None, reverse: bool, height: int):
    """Yield agreements' stored documents in id order from ``after``.

    The filter reads the documents; records and API objects are built for the kept ones
    only (a filtered page of 100 may examine twice as many agreements).
    """
    state = reader.state_at(height)
    bound = _int_id(where.id_gt) if where.id_gt is not None and not reverse else None
    lower = max(filter(lambda v: v is not None, [after, bound]), default=None)
    start = (after if reverse else (None if lower is None else lower + 1))
    prefixes = where.party_prefixes()
    if prefixes is not None:
        for agreement_id in _ids_by_party(reader, prefixes, start, reverse):
            raw = state.get(keys.agreement(agreement_id))
            if raw is not None:
                yield codec.read_plain(raw)
        return
    seek = None if start is None else keys.agreement(start)
    for _key, raw in state.iter_prefix(keys.AGREEMENT_PREFIX, seek, reverse):
        yield codec.read_plain(raw)


@strawberry.type
class AgreementQueries:
    @strawberry.field(description="One agreement by id")
    def agreement(self, info: Info, id: str, block: BlockHeight | None = None) -> Agreement | None:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            height = state_height(reader, block)
            found = agreements.get(reader.state_at(height), _int_id(id))
            return None if found is None else make_agreement(found, height)

    @strawberry.field(description="Agreements in id order; keyset pagination with after")
    def agreements(self, info: Info, first: int | None = None, after: str | None = None,
                   order_direction: OrderDirection = OrderDirection.asc, where: AgreementFilter | None = None,
                   block: BlockHeight | None = None) -> list[Agreement]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        where = where or AgreementFilter()
        after_id = None if after is None else _int_id(decode_cursor(AGREEMENT_CURSOR, after).decode())
        with ctx.read() as reader:
            height = state_height(reader, block)
            docs = _listed(reader, where, after_id, order_direction == OrderDirection.desc, height)
            kept = take(docs, size, where.matches, lambda: ctx.charge(reader))
            return [make_agreement(codec.from_plain(agreements.Agreement, doc), height) for doc in kept]


def _touched(reader, ctx, height: int) -> list:
    """Return the agreement records the block at ``height`` emitted events for, read at that block."""
    state = reader.state_at(height)
    ids = ids_touched(ctx, reader, EVENT_TYPES, "agreement_id", height)
    return [a for a in (agreements.get(state, i) for i in ids) if a is not None]


async def agreement_updates(info: Info, heights, agreement_id: str | None, party: str | None):
    """Yield an Agreement each time a block emits one of its events (read at that block).

    Each block is read by ``readers.run`` (no transaction survives the ``yield``)."""
    async for height in heights:
        updated = readers.run(info.context.services.store, _touched, info.context, height)
        for record in updated:
            if (agreement_id is None or str(record.id) == agreement_id) and \
                    (party is None or party in (record.requester, record.provider, record.arbiter)):
                yield make_agreement(record, height)
