"""Record retention: delete block and transaction records older than a window, a bounded amount per Commit.

``[records] retain_blocks = N`` (``Settings.records_retain_blocks``; 0, the default, keeps every
record) keeps the records of the last ``N`` heights.  It does not follow ``[store] retain_blocks``:
the records are the node's readable history (GraphQL, CLI), which an operator may want to keep
while CometBFT's blocks are pruned, or prune harder; docs/operations.md "Pruning and disk planning".

After each Commit, ``RecordPruner.after_commit`` deletes, in one LMDB write transaction, the
records of at most ``max_heights`` heights from the lowest still kept, up to ``height - N``, so
turning retention on for an old node catches up over several commits without a long pause.  The
lowest kept height (the *floor*) is stored in the meta database (``read_floor``); readers answer
"pruned below height H" for a block under it.

What is deleted for a height: its block record, its transactions' records (unless the same hash
was recorded again at a later height) and their history indexes (``txh/``, ``txs/``, ``txa/``,
``evt/``).  What is kept: the ``obj/`` indexes (agreements by party, settled agreements by
outcome, documents by owner).  They are current-state indexes, one row per object, read by
GraphQL ``counts`` and ``documents(owner)``, whose answers must not change with pruning.
Records are outside the app hash: pruning is node-local and changes no consensus answer.
"""

from __future__ import annotations

import struct

from abci_app.adapter import records

FLOOR_KEY = b"records_floor"   # meta database: the lowest height whose records are kept
DEFAULT_MAX_HEIGHTS = 100      # heights pruned at most per Commit


def read_floor(txn, store) -> int:
    """Return the lowest height whose records are kept (0: nothing was ever pruned)."""
    raw = txn.get(FLOOR_KEY, db=store.db(b"meta"))
    return struct.unpack(">Q", raw)[0] if raw else 0


def _lowest_block(txn, store) -> int:
    cursor = txn.cursor(db=store.db(b"blocks"))
    return struct.unpack(">Q", cursor.key())[0] if cursor.first() else 0


def _keys_under(txn, db, prefix: bytes) -> list[tuple[bytes, bytes]]:
    cursor, found = txn.cursor(db=db), []
    positioned = cursor.set_range(prefix)
    while positioned and cursor.key().startswith(prefix):
        found.append((bytes(cursor.key()), bytes(cursor.value())))
        positioned = cursor.next()
    return found


def _event_keys(height: int, slot: int, events) -> list[bytes]:
    return [records.named_prefix(records.EVENT_BY_TYPE, e.type) + records.position_key(height, slot)
            + struct.pack(">I", n) for n, e in enumerate(events)]


def prune_height(txn, store, height: int) -> int:
    """Delete the records of one height and their history indexes (not ``obj/``); return rows deleted."""
    index, txs, doomed = store.db(b"index"), store.db(b"txs"), []
    for key, tx_hash in _keys_under(txn, index, records.TX_BY_HEIGHT + records.height_key(height)):
        doomed.append((index, key))
        tx = records.read_tx(txn, store, tx_hash)
        if tx is None:
            continue
        if tx.height == height:   # a hash recorded again later keeps its later record
            doomed.append((txs, tx_hash))
        position = records.position_key(height, struct.unpack(">I", key[-4:])[0])
        doomed.extend((index, records.named_prefix(prefix, name) + position)
                      for prefix, name in ((records.TX_BY_SIGNER, tx.signer), (records.TX_BY_ACTION, tx.action))
                      if name)
        doomed.extend((index, k) for k in _event_keys(height, tx.index, tx.events))
    block = records.read_block(txn, store, height)
    if block is not None:
        doomed.extend((index, k) for k in _event_keys(height, records.BLOCK_EVENTS, block.events))
        doomed.append((store.db(b"blocks"), records.height_key(height)))
    return sum(1 for db, key in doomed if txn.delete(key, db=db))


class RecordPruner:
    """Keeps the records of the last ``retain_blocks`` heights (0: all), pruning ``max_heights`` per Commit."""

    def __init__(self, retain_blocks: int = 0, max_heights: int = DEFAULT_MAX_HEIGHTS) -> None:
        if retain_blocks < 0 or max_heights < 1:
            raise ValueError("records retain_blocks must be >= 0 and prune_heights >= 1")
        self.retain_blocks = retain_blocks
        self.max_heights = max_heights

    def after_commit(self, store, height: int) -> range:
        """Prune after committing ``height``; return the heights pruned (empty when off or caught up)."""
        if self.retain_blocks <= 0:
            return range(0)
        keep_from = height - self.retain_blocks + 1
        with store.env.begin(write=True) as txn:
            floor = read_floor(txn, store) or _lowest_block(txn, store)
            if floor == 0 or floor >= keep_from:
                return range(0)
            pruned = range(floor, min(keep_from, floor + self.max_heights))
            for h in pruned:
                prune_height(txn, store, h)
            txn.put(FLOOR_KEY, struct.pack(">Q", pruned.stop), db=store.db(b"meta"))
        return pruned
