"""``_meta`` (which block an answer reflects) and ``status`` (chain-wide aggregates)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain.domain import params
from abci_app.chain.domain.accounts import state as accounts
from graphql_api import history
from graphql_api.types.blocks import iso_time
from graphql_api.types.common import BigInt, BlockHeight, history_height

RECENT_BLOCKS = 100


@strawberry.type(name="_Block_")
class MetaBlock:
    number: int
    height: int
    hash: str | None
    timestamp: int
    time: str


@strawberry.type(name="_Meta_")
class Meta:
    block: MetaBlock
    app_hash: str
    chain_id: str
    has_indexing_errors: bool = strawberry.field(description="always false: the app is its own indexer")


@strawberry.type(name="ChainStatus")
class ChainStatus:
    chain_id: str
    height: int
    timestamp: int
    app_hash: str
    supply: BigInt
    block_count: int
    transaction_count: int = strawberry.field(description="every recorded transaction, including rejected ones")
    recent_blocks: int = strawberry.field(description="blocks the recent averages cover")
    recent_transactions: int
    average_block_time_ms: int = strawberry.field(description="over the recent blocks; 0 below two blocks")
    min_fee: BigInt = strawberry.field(description="smallest fee a transaction may carry (chain parameter)")
    idle_block_seconds: int | None = strawberry.field(
        default=None, description="the node makes a block when idle only this often (CometBFT's "
        "create_empty_blocks_interval; 0: never); null: blocks come continuously or unknown")


def make_meta(reader, height: int) -> Meta:
    committed = reader.committed
    record = history.block(reader, height)
    app_hash = committed.app_hash if height == committed.height else (record.app_hash if record else b"")
    time = record.time if record else committed.time
    block = MetaBlock(number=height, height=height, hash=record.hash.hex() if record else None,
                      timestamp=time, time=iso_time(time))
    return Meta(block=block, app_hash=app_hash.hex(), chain_id=committed.chain_id, has_indexing_errors=False)


def make_status(reader, idle_block_seconds: int | None = None) -> ChainStatus:
    c = reader.committed
    oldest = history.block(reader, max(1, c.height - RECENT_BLOCKS + 1))
    newest = history.block(reader, c.height)
    recent = list(history.iter_blocks(reader, history.Span(max(1, c.height - RECENT_BLOCKS + 1), c.height), None, False))
    span_ms = (newest.time - oldest.time) * 1000 if newest and oldest else 0
    return ChainStatus(chain_id=c.chain_id, height=c.height, timestamp=c.time, app_hash=c.app_hash.hex(),
                       supply=accounts.supply(reader.state), block_count=history.count(reader, history.BLOCKS),
                       transaction_count=history.count(reader, history.TXS), recent_blocks=len(recent),
                       recent_transactions=sum(b.num_txs for b in recent),
                       average_block_time_ms=span_ms // (len(recent) - 1) if len(recent) > 1 else 0,
                       min_fee=params.get(reader.state).min_fee, idle_block_seconds=idle_block_seconds)


@strawberry.type
class MetaQueries:
    @strawberry.field(name="_meta", description="The committed block this answer reflects")
    def meta(self, info: Info, block: BlockHeight | None = None) -> Meta:
        with info.context.read() as reader:
            return make_meta(reader, history_height(reader, block))

    @strawberry.field(description="Chain status and aggregates at the latest committed block")
    def status(self, info: Info) -> ChainStatus:
        info.context.check_deadline()
        with info.context.read() as reader:
            return make_status(reader, info.context.config.idle_block_seconds)
