"""Block and transaction records: what the chain did, kept beside the state for readers.

Written in the same LMDB transaction as the block's state (``Store.commit`` extra
databases), outside the app hash.  Keys:

* ``blocks``: ``u64be(height)`` -> ``BlockRecord``
* ``txs``:    ``tx hash (32 bytes)`` -> ``TxRecord``
* ``index``:  ``b"txh/" + u64be(height) + u32be(index)`` -> tx hash (transactions of a block, in order)

Readers (GraphQL, CLI) use the ``read_*`` functions with a read transaction.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from abci_app import codec, events as typed_events
from abci_app.block import TxOutcome

TX_BY_HEIGHT = b"txh/"


@dataclass(frozen=True, slots=True)
class EventRecord:
    type: str
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class BlockRecord:
    height: int
    time: int
    hash: bytes
    proposer: bytes
    num_txs: int
    app_hash: bytes
    events: tuple[EventRecord, ...] = ()


@dataclass(frozen=True, slots=True)
class TxRecord:
    hash: bytes
    height: int
    index: int
    code: int
    codespace: str
    log: str
    signer: str
    action: str
    events: tuple[EventRecord, ...]


def height_key(height: int) -> bytes:
    return struct.pack(">Q", height)


def event_record(event) -> EventRecord:
    return EventRecord(typed_events.event_type(event), tuple(typed_events.attributes(event)))


def rows(block: BlockRecord, outcomes: list[TxOutcome]) -> dict[bytes, list[tuple[bytes, bytes | None]]]:
    """Return the extra-database rows that record one block and its transactions."""
    tx_rows, index_rows = [], []
    for i, t in enumerate(outcomes):
        record = TxRecord(t.hash, block.height, i, t.code, t.codespace, t.log, t.signer, t.action,
                          tuple(event_record(e) for e in t.events))
        tx_rows.append((t.hash, codec.encode_value(record)))
        index_rows.append((TX_BY_HEIGHT + height_key(block.height) + struct.pack(">I", i), t.hash))
    return {b"blocks": [(height_key(block.height), codec.encode_value(block))], b"txs": tx_rows,
            b"index": index_rows}


def read_block(txn, store, height: int) -> BlockRecord | None:
    raw = txn.get(height_key(height), db=store.db(b"blocks"))
    return None if raw is None else codec.decode_value(BlockRecord, raw)


def read_tx(txn, store, tx_hash: bytes) -> TxRecord | None:
    raw = txn.get(tx_hash, db=store.db(b"txs"))
    return None if raw is None else codec.decode_value(TxRecord, raw)
