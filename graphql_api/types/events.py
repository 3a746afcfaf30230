"""Events: what blocks and transactions emitted, listed by type through the ``evt/`` index."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.adapter import records
from graphql_api import history
from graphql_api.errors import ApiError
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, span, take
from graphql_api.types.common import BlockHeight, history_height

EVENT_CURSOR = "event"


@strawberry.type(name="Attribute")
class Attribute:
    key: str
    value: str


@strawberry.input(name="Attribute_filter")
class AttributeInput:
    key: str
    value: str


@strawberry.type(name="Event")
class Event:
    type: str
    attributes: list[Attribute]
    block_number: int
    tx_hash: str | None = strawberry.field(description="null for an event the block itself emitted")
    index: int = strawberry.field(description="position among the events of its transaction or block")
    cursor: str


def make_event(record: records.EventRecord, height: int, tx_hash: bytes | None, n: int, slot: int) -> Event:
    key = history.position(height, slot) + n.to_bytes(4, "big")
    return Event(type=record.type, attributes=[Attribute(key=k, value=v) for k, v in record.attributes],
                 block_number=height, tx_hash=None if tx_hash is None else tx_hash.hex(), index=n,
                 cursor=encode_cursor(EVENT_CURSOR, key))


def events_of(source, slot: int) -> list[Event]:
    """Return every event of a block record (``slot`` = BLOCK_EVENTS) or a tx record."""
    tx_hash = None if slot == records.BLOCK_EVENTS else source.hash
    return [make_event(e, source.height, tx_hash, n, slot) for n, e in enumerate(source.events)]


@strawberry.input(name="Event_filter")
class EventFilter:
    type: str | None = None
    type_in: list[str] | None = None
    block: int | None = None
    block_gt: int | None = None
    block_gte: int | None = None
    block_lt: int | None = None
    block_lte: int | None = None
    tx_hash: str | None = None
    attributes_contains: list[AttributeInput] | None = None

    def types(self) -> list[str]:
        found = ([self.type] if self.type is not None else []) + list(self.type_in or [])
        if not found:
            raise ApiError("events: give where.type or where.type_in (events are indexed by type)")
        return found

    def matches(self, event: Event) -> bool:
        if self.tx_hash is not None and event.tx_hash != self.tx_hash.lower().removeprefix("0x"):
            return False
        pairs = {(a.key, a.value) for a in event.attributes}
        return all((a.key, a.value) in pairs for a in self.attributes_contains or [])


def event_heights(where: EventFilter, top: int):
    lte = where.block if where.block is not None else where.block_lte
    gte = where.block if where.block is not None else where.block_gte
    return span(where.block_gt, gte, where.block_lt, lte).clip(1, top)


def list_events(ctx, reader, where: EventFilter, first: int, after: str | None, reverse: bool, top: int) -> list[Event]:
    after_key = decode_cursor(EVENT_CURSOR, after)
    heights = event_heights(where, top)
    if heights.empty:
        return []

    def rows():
        for key, source, n in history.iter_events(reader, where.types(), heights, after_key, reverse):
            slot = int.from_bytes(key[8:12], "big")
            tx_hash = None if slot == records.BLOCK_EVENTS else source.hash
            yield make_event(source.events[n], source.height, tx_hash, n, slot)

    return take(rows(), first, where.matches, lambda: ctx.charge(reader))


def ids_touched(ctx, reader, types: list[str], id_attribute: str, height: int) -> list[int]:
    """Return the object ids named by ``id_attribute`` in events of ``types`` at ``height``."""
    where = EventFilter(type_in=types, block=height)
    found = list_events(ctx, reader, where, ctx.config.max_first, None, False, height)
    return sorted({int(value) for e in found for key, value in ((a.key, a.value) for a in e.attributes)
                   if key == id_attribute})


@strawberry.type
class EventQueries:
    @strawberry.field(description="Events of the given types, in block order (keyset cursor: after)")
    def events(self, info: Info, where: EventFilter, first: int | None = None, after: str | None = None,
               order_direction: OrderDirection = OrderDirection.asc, block: BlockHeight | None = None) -> list[Event]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        with ctx.read() as reader:
            top = history_height(reader, block)
            return list_events(ctx, reader, where, size, after, order_direction == OrderDirection.desc, top)
