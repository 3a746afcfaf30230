"""Transactions with their results and events, listed through the signer/action/height indexes."""

from __future__ import annotations

import enum

import strawberry
from strawberry.types import Info

from abci_app.adapter import records
from graphql_api import history
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, span, take
from graphql_api.types.common import BlockHeight, history_height, parse_hex
from graphql_api.types.events import Event, events_of

TX_CURSOR = "tx"


@strawberry.type(name="Transaction")
class Transaction:
    """Plain fields, filled once (field resolvers cost more than the read itself in long pages)."""

    hash: str = strawberry.field(description="SHA-256 of the transaction bytes, hex (CometBFT's tx hash)")
    block_number: int = strawberry.field(description="height of the block that holds it")
    index: int = strawberry.field(description="position in its block")
    success: bool = strawberry.field(description="true when executed (code 0); a rejected one changed nothing")
    code: int
    codespace: str
    log: str
    signer: str
    action: str = strawberry.field(description="action message name, e.g. Transfer")
    events: list[Event]
    cursor: str

    @strawberry.field(description="block time, seconds since the Unix epoch")
    def timestamp(self, info: Info) -> int:
        with info.context.read() as reader:
            record = history.block(reader, self.block_number)
            return 0 if record is None else record.time


def make_transaction(r: records.TxRecord) -> Transaction:
    return Transaction(hash=r.hash.hex(), block_number=r.height, index=r.index, success=r.code == 0, code=r.code,
                       codespace=r.codespace, log=r.log, signer=r.signer, action=r.action,
                       events=events_of(r, r.index),
                       cursor=encode_cursor(TX_CURSOR, history.position(r.height, r.index)))


@strawberry.enum(name="Transaction_orderBy")
class TransactionOrderBy(enum.Enum):
    block = "block"


@strawberry.input(name="Transaction_filter")
class TransactionFilter:
    block: int | None = None
    block_gt: int | None = None
    block_gte: int | None = None
    block_lt: int | None = None
    block_lte: int | None = None
    timestamp_gt: int | None = None
    timestamp_gte: int | None = None
    timestamp_lt: int | None = None
    timestamp_lte: int | None = None
    signer: str | None = None
    signer_in: list[str] | None = None
    action: str | None = None
    action_in: list[str] | None = None
    success: bool | None = None
    code: int | None = None
    code_not: int | None = None
    log_contains: str | None = None

    def signers(self) -> list[str] | None:
        return _one_or_many(self.signer, self.signer_in)

    def actions(self) -> list[str] | None:
        return _one_or_many(self.action, self.action_in)

    def matches(self, t: records.TxRecord) -> bool:
        signers, actions = self.signers(), self.actions()
        return ((signers is None or t.signer in signers)
                and (actions is None or t.action in actions)
                and (self.success is None or (t.code == 0) == self.success)
                and (self.code is None or t.code == self.code)
                and (self.code_not is None or t.code != self.code_not)
                and (self.log_contains is None or self.log_contains in t.log))


def _one_or_many(one, many):
    if one is None and many is None:
        return None
    return ([one] if one is not None else []) + list(many or [])


def tx_heights(reader, where: TransactionFilter, top: int):
    bounds = history.height_bounds(reader).clip(hi=top)
    lte = where.block if where.block is not None else where.block_lte
    gte = where.block if where.block is not None else where.block_gte
    heights = span(where.block_gt, gte, where.block_lt, lte).clip(bounds.lo, bounds.hi)
    times = (where.timestamp_gt, where.timestamp_gte, where.timestamp_lt, where.timestamp_lte)
    if any(v is not None for v in times):
        t = history.time_span(reader, bounds, *times)
        heights = heights.clip(t.lo, t.hi)
    return heights


@strawberry.type
class TransactionQueries:
    @strawberry.field(description="One transaction by hash (hex)")
    def transaction(self, info: Info, hash: str, block: BlockHeight | None = None) -> Transaction | None:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            record = history.tx(reader, parse_hex(hash, "hash"))
            if record is None or record.height > history_height(reader, block):
                return None
            return make_transaction(record)

    @strawberry.field(description="Transactions in block order; keyset pagination with after")
    def transactions(self, info: Info, first: int | None = None, after: str | None = None,
                     order_by: TransactionOrderBy = TransactionOrderBy.block,
                     order_direction: OrderDirection = OrderDirection.asc,
                     where: TransactionFilter | None = None, block: BlockHeight | None = None) -> list[Transaction]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        where = where or TransactionFilter()
        after_key = decode_cursor(TX_CURSOR, after)
        with ctx.read() as reader:
            heights = tx_heights(reader, where, history_height(reader, block))
            if heights.empty or where.signers() == [] or where.actions() == []:
                return []
            rows = history.iter_txs(reader, heights, where.signers(), where.actions(), after_key,
                                    order_direction == OrderDirection.desc)
            return [make_transaction(r) for r in take(rows, size, where.matches, lambda: ctx.charge(reader))]
