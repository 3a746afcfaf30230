"""Block and transaction records: what the chain did, kept beside the state for readers.

Written in the same LMDB transaction as the block's state (``Store.commit`` extra
databases), outside the app hash.  Keys:

* ``blocks``: ``u64be(height)`` -> ``BlockRecord``
* ``txs``:    ``tx hash (32 bytes)`` -> ``TxRecord``
* ``index``:  ``b"txh/" + u64be(height) + u32be(index)`` -> tx hash (transactions of a block, in order)
* ``index``:  ``b"txs/" + signer + 0x00 + u64be(height) + u32be(index)`` -> tx hash (by signer)
* ``index``:  ``b"txa/" + action + 0x00 + u64be(height) + u32be(index)`` -> tx hash (by action name)
* ``index``:  ``b"evt/" + type + 0x00 + u64be(height) + u32be(tx index or BLOCK_EVENTS) + u32be(n)``
  -> b"" (events by type; ``n`` is the event's position in its tx or block)
* ``index``:  ``b"obj/" + type + 0x00 + attribute + 0x00 + value + 0x00 + u64be(object id)`` -> b""
  (objects by party: for an event type in ``OBJECT_INDEX``, each named attribute's value
  -> the id the event carries, e.g. an agreement's requester -> its id)

Readers (GraphQL, CLI) use the ``read_*`` functions with a read transaction.  Under
``[records] retain_blocks`` old heights' rows are deleted, except the ``obj/`` rows
(current-state indexes): ``abci_app.adapter.records_retention``.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from abci_app.chain import codec, events as typed_events
from abci_app.chain.context import TxOutcome

TX_BY_HEIGHT = b"txh/"
TX_BY_SIGNER = b"txs/"
TX_BY_ACTION = b"txa/"
EVENT_BY_TYPE = b"evt/"
BLOCK_EVENTS = 0xFFFFFFFF  # tx-index slot of an event emitted by the block itself
OBJECT_BY_ATTRIBUTE = b"obj/"
# event type -> (attribute holding the object id, attributes to index the object by)
# (agreement_settled by outcome: GraphQL ``counts`` counts settled agreements per outcome from it;
# document_published by owner: GraphQL ``documents(owner)``; its object id is the 32-byte content hash)
OBJECT_INDEX = {"agreement_made": ("agreement_id", ("requester", "provider", "arbiter")),
                "agreement_settled": ("agreement_id", ("outcome",)),
                "document_published": ("content_hash", ("owner",))}


@dataclass(frozen=True, slots=True)
class EventRecord:
    type: str
    attributes: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class CommitVote:
    """One validator's entry in the commit of the previous block (FinalizeBlock's decided_last_commit)."""

    validator: bytes   # consensus address
    power: int
    signed: bool       # BlockIDFlag COMMIT: it signed the block; else absent or nil


@dataclass(frozen=True, slots=True)
class BlockRecord:
    height: int
    time: int
    hash: bytes
    proposer: bytes
    num_txs: int
    app_hash: bytes
    events: tuple[EventRecord, ...] = ()
    last_commit: tuple[CommitVote, ...] = ()   # who signed block ``height - 1``


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


def position_key(height: int, index: int) -> bytes:
    return struct.pack(">QI", height, index)


def named_prefix(prefix: bytes, name: str) -> bytes:
    """Return the index prefix of one signer, action or event type."""
    return prefix + name.encode() + b"\x00"


def object_prefix(event_type: str, attribute: str, value: str) -> bytes:
    """Return the ``obj/`` index prefix of the objects whose ``attribute`` is ``value``."""
    return OBJECT_BY_ATTRIBUTE + b"\x00".join(s.encode() for s in (event_type, attribute, value)) + b"\x00"


def _event_rows(height: int, slot: int, events: list[tuple[str, list[tuple[str, str]]]]) -> list[tuple[bytes, bytes]]:
    """Index rows of one transaction's (or the block's) events, each given as ``(type, attributes)``."""
    rows_ = [(named_prefix(EVENT_BY_TYPE, kind) + position_key(height, slot) + struct.pack(">I", n), b"")
             for n, (kind, _) in enumerate(events)]
    for kind, attributes in events:
        if kind in OBJECT_INDEX:
            id_attribute, indexed = OBJECT_INDEX[kind]
            values = dict(attributes)
            raw_id = values[id_attribute]
            object_id = height_key(int(raw_id)) if raw_id.isdigit() else bytes.fromhex(raw_id)
            rows_.extend((object_prefix(kind, a, values[a]) + object_id, b"") for a in indexed if values.get(a))
    return rows_


def encode_tx_record(r: TxRecord) -> bytes:
    """Return ``codec.encode_value(r)`` without the generic walk."""
    return _encode_tx(r.hash, r.height, r.index, r.code, r.codespace, r.log, r.signer, r.action,
                      [(e.type, e.attributes) for e in r.events])


_TX_JSON = ('{"action":%s,"code":%d,"codespace":%s,"events":[%s],"hash":"%s","height":%d,"index":%d,"log":%s,'
            '"signer":%s}')


def _encode_tx(tx_hash: bytes, height: int, index: int, code: int, codespace: str, log: str, signer: str, action: str,
               events: list) -> bytes:
    """``codec.encode_value`` of the ``TxRecord`` with these fields, events given as ``(type, attributes)``.

    Laid out directly (keys in sorted order, strings through ``codec.quote``, the JSON encoder's own
    string escaper): one string format instead of a document walk.  Fields that are not plain
    ``int``/``str`` take the codec's path.
    """
    quote = codec.quote
    if type(code) is not int or type(height) is not int or type(index) is not int \
            or not all(type(v) is str for v in (codespace, log, signer, action)):
        plain_events = [{"attributes": [list(a) for a in attributes], "type": kind} for kind, attributes in events]
        return codec.encode_plain({"action": action, "code": code, "codespace": codespace, "events": plain_events,
                                   "hash": tx_hash.hex(), "height": height, "index": index, "log": log,
                                   "signer": signer})
    listed = ",".join('{"attributes":[%s],"type":%s}' % (",".join(["[%s,%s]" % (quote(k), quote(v)) for k, v in attributes]),
                                                          quote(kind)) for kind, attributes in events)
    return (_TX_JSON % (quote(action), code, quote(codespace), listed, tx_hash.hex(), height, index, quote(log),
                        quote(signer))).encode()


def event_record(event) -> EventRecord:
    return EventRecord(typed_events.event_type(event), tuple(typed_events.attributes(event)))


def rows(block: BlockRecord, outcomes: list[TxOutcome]) -> dict[bytes, list[tuple[bytes, bytes | None]]]:
    """Return the extra-database rows that record one block and its transactions.

    A transaction's record is encoded straight from its outcome (the bytes ``codec.encode_value``
    gives its ``TxRecord``; ``tests/unit`` compares the two), without building the record."""
    height = block.height
    tx_rows, index_rows = [], _event_rows(height, BLOCK_EVENTS, [(e.type, e.attributes) for e in block.events])
    event_type, attributes = typed_events.event_type, typed_events.attributes
    for i, t in enumerate(outcomes):
        events = [(event_type(e), attributes(e)) for e in t.events]
        tx_rows.append((t.hash, _encode_tx(t.hash, height, i, t.code, t.codespace, t.log, t.signer, t.action, events)))
        position = position_key(height, i)
        index_rows.append((TX_BY_HEIGHT + position, t.hash))
        if t.signer:
            index_rows.append((named_prefix(TX_BY_SIGNER, t.signer) + position, t.hash))
        if t.action:
            index_rows.append((named_prefix(TX_BY_ACTION, t.action) + position, t.hash))
        index_rows.extend(_event_rows(height, i, events))
    return {b"blocks": [(height_key(height), codec.encode_value(block))], b"txs": tx_rows,
            b"index": index_rows}


def read_block(txn, store, height: int) -> BlockRecord | None:
    raw = txn.get(height_key(height), db=store.db(b"blocks"))
    return None if raw is None else codec.decode_value(BlockRecord, raw)


def read_tx(txn, store, tx_hash: bytes) -> TxRecord | None:
    raw = txn.get(tx_hash, db=store.db(b"txs"))
    return None if raw is None else codec.decode_value(TxRecord, raw)
