"""Subscriptions: ``newBlocks`` and ``events``, resumable from a height, fed by the one notifier.

Each step reads through ``readers.run``: its own short read transaction, closed before
the generator yields or waits, and never bound to a name in the generator's frame (an
aborted py-lmdb transaction keeps its reader slot while referenced).  So an idle
subscription holds no LMDB reader slot.  ``fromHeight`` resumes a stream (default: the
next block).  How many subscriptions a client may hold is capped in ``limits.py``.
"""

from __future__ import annotations

from typing import AsyncGenerator

import strawberry
from strawberry.types import Info

from graphql_api import history, readers
from graphql_api.pagination import Span
from graphql_api.types.agreements import Agreement, agreement_updates
from graphql_api.types.blocks import Block, make_block
from graphql_api.types.events import Event, EventFilter, list_events
from graphql_api.types.proposals import Proposal, proposal_updates


async def _heights(info: Info, from_height: int | None) -> AsyncGenerator[int, None]:
    """Yield committed heights from ``from_height`` on, waiting for each to commit."""
    notifier = info.context.services.notifier
    next_height = notifier.height + 1 if from_height is None else from_height
    next_height = max(next_height, readers.run(info.context.services.store, _first_height))
    gauge = info.context.services.metrics.subscriptions
    gauge.inc()
    try:
        while True:
            await notifier.wait_for(next_height)
            yield next_height
            next_height += 1
    finally:
        gauge.dec()


def _first_height(reader) -> int:
    return history.height_bounds(reader).lo


def _block(reader, height: int) -> Block | None:
    record = history.block(reader, height)
    return None if record is None else make_block(record)


@strawberry.type
class Subscription:
    @strawberry.subscription(description="Each committed block, from fromHeight (default: the next one)")
    async def new_blocks(self, info: Info, from_height: int | None = None) -> AsyncGenerator[Block, None]:
        store = info.context.services.store
        async for height in _heights(info, from_height):
            block = readers.run(store, _block, height)
            if block is not None:
                yield block

    @strawberry.subscription(description="Events matching where, block by block, from fromHeight")
    async def events(self, info: Info, where: EventFilter,
                     from_height: int | None = None) -> AsyncGenerator[Event, None]:
        where.types()
        cap = info.context.config.max_first
        async for height in _heights(info, from_height):
            where_block = EventFilter(type=where.type, type_in=where.type_in, tx_hash=where.tx_hash,
                                      attributes_contains=where.attributes_contains, block=height)
            after = None
            while True:
                found = readers.run(info.context.services.store, lambda r: list_events(
                    info.context, r, where_block, cap, after, False, height))
                for event in found:
                    yield event
                if len(found) < cap:
                    break
                after = found[-1].cursor

    @strawberry.subscription(description="A proposal each time a block changes it (filter by id or organization)")
    async def proposal_updated(self, info: Info, id: str | None = None, organization: str | None = None,
                               from_height: int | None = None) -> AsyncGenerator[Proposal, None]:
        async for proposal in proposal_updates(info, _heights(info, from_height), id, organization):
            yield proposal

    @strawberry.subscription(description="An agreement each time a block changes it (filter by id or party)")
    async def agreement_updated(self, info: Info, id: str | None = None, party: str | None = None,
                                from_height: int | None = None) -> AsyncGenerator[Agreement, None]:
        async for agreement in agreement_updates(info, _heights(info, from_height), id, party):
            yield agreement
