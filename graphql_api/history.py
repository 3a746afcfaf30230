"""Reads of recorded history (blocks, transactions, events) through the secondary indexes.

Every function takes a ``Reader`` (one read transaction) and uses ``abci_app.adapter.records``
for keys and decoding; nothing here decodes bytes by itself.  Block time never
decreases with height (CometBFT's BFT time), so a time range maps to a height
range by binary search over the ``blocks`` database: O(log n) lookups.
"""

from __future__ import annotations

import heapq
import struct
from typing import Iterator

from abci_app.adapter import records, records_retention
from graphql_api.errors import Pruned
from abci_app.adapter.storage.store import iter_prefix
from graphql_api.pagination import Span, U64_MAX, scan

BLOCKS, TXS, INDEX = b"blocks", b"txs", b"index"


def block(reader, height: int) -> records.BlockRecord | None:
    return records.read_block(reader.txn, reader.store, height)


def check_recorded(reader, height: int) -> None:
    """Raise ``Pruned`` when record retention deleted the records of ``height``."""
    floor = records_retention.read_floor(reader.txn, reader.store)
    if height < floor:
        raise Pruned(f"height {height} is pruned: this node keeps block and transaction records "
                     f"from height {floor} ([records] retain_blocks); records are pruned below height {floor}")


def tx(reader, tx_hash: bytes) -> records.TxRecord | None:
    return records.read_tx(reader.txn, reader.store, tx_hash)


def height_bounds(reader) -> Span:
    """Return the first and last recorded heights (an empty span when none)."""
    db = reader.store.db(BLOCKS)
    first = next(iter_prefix(reader.txn, db, b"", None, False), None)
    last = next(iter_prefix(reader.txn, db, b"", None, True), None)
    if first is None or last is None:
        return Span(1, 0)
    return Span(struct.unpack(">Q", first[0])[0], struct.unpack(">Q", last[0])[0])


def first_height_at(reader, time: int, bounds: Span) -> int:
    """Return the lowest recorded height whose block time is >= ``time`` (``hi + 1`` if none)."""
    lo, hi = bounds.lo, bounds.hi + 1
    while lo < hi:
        mid = (lo + hi) // 2
        record = block(reader, mid)
        if record is not None and record.time >= time:
            hi = mid
        else:
            lo = mid + 1
    return lo


def time_span(reader, bounds: Span, gt=None, gte=None, lt=None, lte=None) -> Span:
    """Translate block-time range filters into a height span within ``bounds``."""
    lo, hi = bounds.lo, bounds.hi
    if gt is not None:
        lo = max(lo, first_height_at(reader, gt + 1, bounds))
    if gte is not None:
        lo = max(lo, first_height_at(reader, gte, bounds))
    if lt is not None:
        hi = min(hi, first_height_at(reader, lt, bounds) - 1)
    if lte is not None:
        hi = min(hi, first_height_at(reader, lte + 1, bounds) - 1)
    return Span(lo, hi)


def iter_blocks(reader, heights: Span, after: int | None, reverse: bool) -> Iterator[records.BlockRecord]:
    """Yield block records in height order within ``heights``, after height ``after``."""
    db = reader.store.db(BLOCKS)
    after_key = None if after is None else records.height_key(after)
    for key, raw in scan(reader.txn, db, b"", records.height_key(heights.lo),
                         records.height_key(min(heights.hi, U64_MAX)), after_key, reverse):
        yield records.read_block(reader.txn, reader.store, struct.unpack(">Q", key)[0])


def position(height: int, index: int) -> bytes:
    return records.position_key(height, index)


def unpack_position(key: bytes) -> tuple[int, int]:
    return struct.unpack(">QI", key[:12])


def _tx_prefixes(signers: list[str] | None, actions: list[str] | None) -> list[bytes]:
    """Choose the driving index: signer, else action, else the height index."""
    if signers:
        return [records.named_prefix(records.TX_BY_SIGNER, s) for s in sorted(set(signers))]
    if actions:
        return [records.named_prefix(records.TX_BY_ACTION, a) for a in sorted(set(actions))]
    return [records.TX_BY_HEIGHT]


def iter_txs(reader, heights: Span, signers, actions, after: bytes | None, reverse: bool) -> Iterator[records.TxRecord]:
    """Yield transactions in (height, index) order through the most selective index.

    Several signers (or actions) merge their index ranges in key order.
    """
    db = reader.store.db(INDEX)
    lo, hi = records.height_key(heights.lo), records.height_key(heights.hi)
    streams = [scan(reader.txn, db, p, lo, hi, after, reverse) for p in _tx_prefixes(signers, actions)]
    merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=lambda kv: kv[0], reverse=reverse)
    for _suffix, tx_hash in merged:
        yield tx(reader, bytes(tx_hash))


def iter_events(reader, types: list[str], heights: Span, after: bytes | None, reverse: bool):
    """Yield ``(key, block_or_tx_record, n)`` for events of ``types`` in position order."""
    db = reader.store.db(INDEX)
    lo, hi = records.height_key(heights.lo), records.height_key(heights.hi)
    prefixes = [records.named_prefix(records.EVENT_BY_TYPE, t) for t in sorted(set(types))]
    streams = [scan(reader.txn, db, p, lo, hi, after, reverse) for p in prefixes]
    merged = streams[0] if len(streams) == 1 else heapq.merge(*streams, key=lambda kv: kv[0], reverse=reverse)
    for suffix, _ in merged:
        height, slot, n = struct.unpack(">QII", suffix[:16])
        yield bytes(suffix[:16]), event_source(reader, height, slot), n


def event_source(reader, height: int, slot: int):
    """Return the block record (block events) or the tx record that emitted an event."""
    if slot == records.BLOCK_EVENTS:
        return block(reader, height)
    tx_hash = reader.txn.get(records.TX_BY_HEIGHT + position(height, slot), db=reader.store.db(INDEX))
    return None if tx_hash is None else tx(reader, bytes(tx_hash))


def txs_of_block(reader, height: int) -> Iterator[records.TxRecord]:
    db = reader.store.db(INDEX)
    prefix = records.TX_BY_HEIGHT + records.height_key(height)
    for _key, tx_hash in iter_prefix(reader.txn, db, prefix, None, False):
        yield tx(reader, bytes(tx_hash))


def count(reader, name: bytes) -> int:
    """Return the number of entries of a whole database (O(1), from LMDB's statistics)."""
    return reader.txn.stat(reader.store.db(name))["entries"]
