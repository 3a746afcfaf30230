"""Recurring payments (streams) and their recurring-cost figures, through ``abci_app.chain.domain.streams``.

``claimable`` is computed at the answer's block time (``works.block_time``), with the
ledger's own integer rule (``streams.state.claimable``).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain.domain.streams import keys, state as streams
from graphql_api.types.common import BigInt, BlockHeight, int_id, state_height
from graphql_api.types.works import block_time

MAX_LISTED = 200


@strawberry.type(name="Stream")
class Stream:
    record: strawberry.Private[streams.Stream]
    now: strawberry.Private[int]

    @strawberry.field
    def id(self) -> str:
        return str(self.record.id)

    @strawberry.field
    def payer(self) -> str:
        return self.record.payer

    @strawberry.field
    def recipient(self) -> str:
        return self.record.recipient

    @strawberry.field
    def amount_per_period(self) -> BigInt:
        return self.record.amount_per_period

    @strawberry.field(description="seconds")
    def period(self) -> int:
        return self.record.period

    @strawberry.field
    def start(self) -> int:
        return self.record.start

    @strawberry.field(description="the reserve; once stopped, what had accrued")
    def total(self) -> BigInt:
        return self.record.total

    @strawberry.field
    def claimed(self) -> BigInt:
        return self.record.claimed

    @strawberry.field(description="accrued and unclaimed at the answer's block time")
    def claimable(self) -> BigInt:
        return streams.claimable(self.record, self.now)

    @strawberry.field(description="accrued so far at the answer's block time (claimed or not)")
    def accrued(self) -> BigInt:
        return streams.accrued(self.record, self.now)

    @strawberry.field(description="still held in the reserve for this stream: total - claimed")
    def reserved(self) -> BigInt:
        return self.record.total - self.record.claimed

    @strawberry.field(description="active, stopped or finished")
    def status(self) -> str:
        return self.record.status

    @strawberry.field
    def stopped_at(self) -> int:
        return self.record.stopped_at


@strawberry.type(name="RecurringCost")
class RecurringCost:
    active: int
    per_30_days: BigInt
    reserved: BigInt
    paid: BigInt
    returned: BigInt


@strawberry.type
class StreamQueries:
    @strawberry.field(description="One stream by id")
    def stream(self, info: Info, id: str, block: BlockHeight | None = None) -> Stream | None:
        info.context.check_deadline()
        with info.context.read() as reader:
            height = state_height(reader, block)
            found = streams.get(reader.state_at(height), int_id(id, "a stream") or 0)
            return None if found is None else Stream(record=found, now=block_time(reader, height))

    @strawberry.field(description="Streams an address pays (or, with received, receives), by id; at most 200")
    def streams(self, info: Info, address: str, received: bool = False, status: str | None = None,
                block: BlockHeight | None = None) -> list[Stream]:
        """``status``: only streams in that status (active, stopped, finished)."""
        info.context.check_deadline()
        index = keys.BY_RECIPIENT if received else keys.BY_PAYER
        with info.context.read() as reader:
            height = state_height(reader, block)
            now = block_time(reader, height)
            found = (s for s in streams.of_address(reader.state_at(height), index, address)
                     if status in (None, s.status))
            return [Stream(record=s, now=now) for _, s in zip(range(MAX_LISTED), found)]

    @strawberry.field(description="Recurring cost of streams: scope 'all' or 'org/<payer address>'")
    def recurring_cost(self, info: Info, scope: str = "all", block: BlockHeight | None = None) -> RecurringCost:
        info.context.check_deadline()
        with info.context.read() as reader:
            figures = streams.recurring(reader.state_at(state_height(reader, block)), scope)
        return RecurringCost(active=figures.active, per_30_days=figures.per_30_days, reserved=figures.reserved,
                             paid=figures.paid, returned=figures.returned)
