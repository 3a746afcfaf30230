"""Blocks: ``block(number)`` and ``blocks(...)`` over the ``blocks`` database (keyed by height)."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

import strawberry
from strawberry.types import Info

from abci_app.adapter import records
from graphql_api import history
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, span, take
from graphql_api.types.common import BlockHeight, history_height
from graphql_api.types.events import Event, events_of
from graphql_api.types.transactions import Transaction, make_transaction

BLOCK_CURSOR = "block"


def iso_time(seconds: int) -> str:
    return datetime.fromtimestamp(seconds, timezone.utc).isoformat().replace("+00:00", "Z")


@strawberry.type(name="Block")
class Block:
    """Plain fields, filled once; only ``transactions`` reads more."""

    number: int = strawberry.field(description="block height")
    height: int = strawberry.field(description="block height (same as number)")
    hash: str = strawberry.field(description="block hash, hex")
    timestamp: int = strawberry.field(description="block time, seconds since the Unix epoch")
    time: str = strawberry.field(description="block time, ISO 8601 UTC")
    proposer: str = strawberry.field(description="proposer address, hex")
    num_txs: int
    app_hash: str = strawberry.field(description="app hash after this block, hex")
    events: list[Event] = strawberry.field(description="events the block itself emitted (begin/end-block hooks)")
    cursor: str

    @strawberry.field(description="consensus addresses (hex) of the validators whose signature for this block is "
                                  "in the next block's commit; null for the latest block (its commit is not in yet)")
    def signers(self, info: Info) -> list[str] | None:
        with info.context.read() as reader:
            following = history.block(reader, self.number + 1)
        if following is None:
            return None
        return [v.validator.hex() for v in following.last_commit or () if v.signed]

    @strawberry.field(description="the block's transactions, in order")
    def transactions(self, info: Info) -> list[Transaction]:
        with info.context.read() as reader:
            return [make_transaction(t) for t in history.txs_of_block(reader, self.number)]


def make_block(r: records.BlockRecord) -> Block:
    return Block(number=r.height, height=r.height, hash=r.hash.hex(), timestamp=r.time, time=iso_time(r.time),
                 proposer=r.proposer.hex(), num_txs=r.num_txs, app_hash=r.app_hash.hex(),
                 events=events_of(r, records.BLOCK_EVENTS),
                 cursor=encode_cursor(BLOCK_CURSOR, records.height_key(r.height)))


@strawberry.enum(name="Block_orderBy")
class BlockOrderBy(enum.Enum):
    number = "number"
    timestamp = "timestamp"


@strawberry.input(name="Block_filter")
class BlockFilter:
    number: int | None = None
    number_not: int | None = None
    number_gt: int | None = None
    number_gte: int | None = None
    number_lt: int | None = None
    number_lte: int | None = None
    number_in: list[int] | None = None
    timestamp_gt: int | None = None
    timestamp_gte: int | None = None
    timestamp_lt: int | None = None
    timestamp_lte: int | None = None
    num_txs_gt: int | None = None
    num_txs_gte: int | None = None

    def matches(self, b: records.BlockRecord) -> bool:
        return ((self.number_not is None or b.height != self.number_not)
                and (self.number_in is None or b.height in self.number_in)
                and (self.num_txs_gt is None or b.num_txs > self.num_txs_gt)
                and (self.num_txs_gte is None or b.num_txs >= self.num_txs_gte))


def block_heights(reader, where: BlockFilter, top: int):
    """Return the height span a block filter selects (ranges and times only)."""
    bounds = history.height_bounds(reader).clip(hi=top)
    lte = where.number if where.number is not None else where.number_lte
    gte = where.number if where.number is not None else where.number_gte
    heights = span(where.number_gt, gte, where.number_lt, lte)
    if where.number_in is not None:
        heights = heights.clip(min(where.number_in, default=1), max(where.number_in, default=0))
    if any(v is not None for v in (where.timestamp_gt, where.timestamp_gte, where.timestamp_lt, where.timestamp_lte)):
        heights = heights.clip(*_tuple(history.time_span(reader, bounds, where.timestamp_gt, where.timestamp_gte,
                                                         where.timestamp_lt, where.timestamp_lte)))
    return heights.clip(bounds.lo, bounds.hi)


def _tuple(s):
    return s.lo, s.hi


@strawberry.type
class BlockQueries:
    @strawberry.field(description="One block by height")
    def block(self, info: Info, number: int, block: BlockHeight | None = None) -> Block | None:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            if number > history_height(reader, block):
                return None
            history.check_recorded(reader, number)
            record = history.block(reader, number)
            return None if record is None else make_block(record)

    @strawberry.field(description="Blocks; keyset pagination with after (a block's cursor)")
    def blocks(self, info: Info, first: int | None = None, after: str | None = None,
               order_by: BlockOrderBy = BlockOrderBy.number,
               order_direction: OrderDirection = OrderDirection.asc,
               where: BlockFilter | None = None, block: BlockHeight | None = None) -> list[Block]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        where = where or BlockFilter()
        after_key = decode_cursor(BLOCK_CURSOR, after)
        with ctx.read() as reader:
            if where.number is not None:
                history.check_recorded(reader, where.number)
            heights = block_heights(reader, where, history_height(reader, block))
            if heights.empty:
                return []
            after_height = None if after_key is None else int.from_bytes(after_key, "big")
            rows = history.iter_blocks(reader, heights, after_height, order_direction == OrderDirection.desc)
            return [make_block(r) for r in take(rows, size, where.matches, lambda: ctx.charge(reader))]
