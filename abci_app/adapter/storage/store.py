"""LMDB adapter: the only module that imports ``lmdb`` at run time (``views`` holds the read views over its
transactions: ``Snapshot``, ``NodeReader``, ``iter_prefix``, ``pages_in_use``, re-exported here).

One environment per node home, with named databases:

* ``state``  the ledger state the app hash commits to;
* ``meta``   committed height, app hash and chain id (outside the app hash);
* any extra database a caller names in ``commit(..., extra=...)`` (block
  results and secondary indexes; outside the app hash);
* ``nodes``, ``stale``, ``roots``, ``history``, ``changes``: the state tree and the
  versioned state (``abci_app.chain.state.versions`` describes them).  Heights older than
  the last ``retain_heights`` are pruned, at most ``prune_budget`` rows per Commit.

Everything a block changes is written in ONE write transaction in ``commit``, so a
reader (the GraphQL process opens the environment read-only) never sees half a
block and a crash leaves either the old or the new block, never a mix.
"""

from __future__ import annotations

import struct
from operator import itemgetter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import lmdb

from abci_app.adapter.storage.views import NodeReader, Snapshot, iter_prefix, pages_in_use
from abci_app.chain.state import smt, smt_update, versions
from abci_app.chain.state.versions import HeightNotAvailable

__all__ = ["Committed", "NodeReader", "ReadersFull", "Snapshot", "Store", "iter_prefix", "pages_in_use"]

STATE_DB = b"state"
META_DB = b"meta"
EXTRA_DBS = (b"blocks", b"txs", b"index")
VERSION_DBS = (b"nodes", b"stale", b"roots", b"history", b"changes")
_HEIGHT = b"height"
_APP_HASH = b"app_hash"
_CHAIN_ID = b"chain_id"
_TIME = b"time"
_ROOT = b"root"
_OLDEST = b"oldest"
_BASE = b"base"   # first height this store holds (a state-synced store starts at the snapshot height)
_RESTORING = b"restoring"   # a state-sync restore is in progress: nothing in the store is final
DEFAULT_MAP_SIZE = 64 << 30
DEFAULT_RETAIN_HEIGHTS = 1000
DEFAULT_PRUNE_BUDGET = 20_000
# Reader slots in the lock table shared by every process that opens the environment (the app,
# each GraphQL server, exports).  A slot is taken per live read transaction; 4096 slots cost
# 256 KiB of lock file and leave a wide margin over what the readers need (the GraphQL server
# holds one per operation in flight, never one per idle subscription).
MAX_READERS = 4096


class ReadersFull(Exception):
    """Every reader slot is taken: a read transaction could not begin (retryable)."""


@dataclass(frozen=True, slots=True)
class Committed:
    height: int
    app_hash: bytes
    chain_id: str
    time: int = 0  # block time of the committed height, whole seconds
    root: smt.Ref | None = None  # root of the state tree (its hash is ``app_hash``)
    oldest: int = 0  # oldest height still readable


class Store:
    """The node's LMDB environment; read-only when opened by a reader process."""

    def __init__(self, path: Path, readonly: bool = False, map_size: int = DEFAULT_MAP_SIZE,
                 retain_heights: int = DEFAULT_RETAIN_HEIGHTS, prune_budget: int = DEFAULT_PRUNE_BUDGET) -> None:
        path.mkdir(parents=True, exist_ok=True)
        self.readonly = readonly
        self.retain_heights = retain_heights
        self.prune_budget = prune_budget
        self.env = lmdb.open(str(path), map_size=map_size, max_dbs=16, readonly=readonly,
                             subdir=True, max_readers=MAX_READERS, sync=True, metasync=True)
        self.dbs = {}
        for name in (STATE_DB, META_DB, *EXTRA_DBS, *VERSION_DBS):
            self.dbs[name] = self.env.open_db(name, create=not readonly)

    def close(self) -> None:
        self.env.close()

    def live_bytes(self) -> dict[str, int]:
        """Bytes of the pages the stored data occupies now, by part: ``state`` and ``records``.

        ``state`` is the latest state with its retained versions (pruned to the retention
        window); ``records`` the block and transaction records and their indexes
        (``EXTRA_DBS``, ``adapter.records``), pruned only under ``[records] retain_blocks``
        (``adapter.records_retention``).  Unlike the file size
        or the map's high-water mark (``info()["last_pgno"]``), these fall when pruning
        frees pages: LMDB reuses them but never shrinks its file, so they are the figures
        to plan disk with at steady state.  O(number of databases).
        """
        with self.env.begin(write=False) as txn:
            pages = {name: pages_in_use(txn.stat(db)) for name, db in self.dbs.items()}
            main, psize = pages_in_use(self.env.stat()), self.env.stat()["psize"]
        records = sum(pages[name] for name in EXTRA_DBS)
        return {"state": (main + sum(pages.values()) - records) * psize, "records": records * psize}

    def read_txn(self) -> lmdb.Transaction:
        """Begin a short read transaction; the caller must ``abort()`` it and drop it when done.

        py-lmdb keeps an aborted transaction's reader slot until the object is freed, so
        a caller must not keep a reference (or a ``Snapshot`` over it) after the abort.
        Raises ``ReadersFull`` when every slot is taken.
        """
        try:
            return self.env.begin(write=False)
        except lmdb.ReadersFullError:
            raise ReadersFull(f"all {MAX_READERS} LMDB reader slots are taken") from None

    def snapshot(self, txn: lmdb.Transaction) -> Snapshot:
        return Snapshot(txn, self.dbs[STATE_DB])

    def db(self, name: bytes):
        return self.dbs[name]

    def nodes(self, txn: lmdb.Transaction) -> "NodeReader":
        """Return a ``smt.NodeRead`` over the stored tree nodes."""
        return NodeReader(txn, self.dbs[b"nodes"])

    def check_height(self, txn: lmdb.Transaction, height: int) -> None:
        """Raise ``HeightNotAvailable`` unless ``height`` is committed and not pruned."""
        committed = self.committed(txn)
        if height > committed.height or height < max(committed.oldest, 1):
            raise HeightNotAvailable(f"height {height} is not available: retained heights are "
                                     f"{committed.oldest}..{committed.height}")

    def root_at(self, txn: lmdb.Transaction, height: int) -> smt.Ref | None:
        """Return the state-tree root committed at ``height`` (``None``: empty tree)."""
        self.check_height(txn, height)
        return smt.decode_ref(txn.get(versions.height_key(height), b"", db=self.dbs[b"roots"]))

    def state_at(self, txn: lmdb.Transaction, height: int) -> versions.VersionedSnapshot:
        """Return a ``StateRead`` of the state as committed at ``height``, over ``txn``."""
        self.check_height(txn, height)
        return versions.VersionedSnapshot(txn, self.dbs[b"history"], height)

    def committed(self, txn: lmdb.Transaction | None = None) -> Committed:
        """Return the last committed height, app hash and chain id (height 0: nothing yet)."""
        own = txn is None
        txn = txn or self.read_txn()
        try:
            meta = self.dbs[META_DB]
            raw = txn.get(_HEIGHT, db=meta)
            height = struct.unpack(">Q", raw)[0] if raw else 0
            raw_time = txn.get(_TIME, db=meta)
            raw_oldest = txn.get(_OLDEST, db=meta)
            return Committed(height, bytes(txn.get(_APP_HASH, b"", db=meta)),
                             bytes(txn.get(_CHAIN_ID, b"", db=meta)).decode(),
                             struct.unpack(">q", raw_time)[0] if raw_time else 0,
                             smt.decode_ref(txn.get(_ROOT, b"", db=meta)),
                             struct.unpack(">Q", raw_oldest)[0] if raw_oldest else 0)
        finally:
            if own:
                txn.abort()

    def commit(self, writes: Iterable[tuple[bytes, bytes | None]], height: int, app_hash: bytes,
               chain_id: str, time: int = 0, extra: dict[bytes, list[tuple[bytes, bytes | None]]] | None = None,
               tree: smt.Batch | None = None) -> None:
        """Write a block's state changes, their versions, its tree nodes, extra rows, height
        and app hash in one transaction, then prune a bounded amount of expired versions."""
        writes = list(writes)
        with self.env.begin(write=True) as txn:
            _write_rows(txn, self.dbs[STATE_DB], writes)
            self._write_version(txn, writes, height, tree)
            for name, rows in (extra or {}).items():
                _write_rows(txn, self.dbs[name], rows)
            meta = self.dbs[META_DB]
            txn.put(_HEIGHT, struct.pack(">Q", height), db=meta)
            txn.put(_APP_HASH, app_hash, db=meta)
            txn.put(_CHAIN_ID, chain_id.encode(), db=meta)
            txn.put(_TIME, struct.pack(">q", time), db=meta)
            raw_base = txn.get(_BASE, db=meta)
            base = struct.unpack(">Q", raw_base)[0] if raw_base else 1
            oldest = max(height - self.retain_heights + 1, base)
            txn.put(_OLDEST, struct.pack(">Q", oldest), db=meta)
            versions.prune(txn, self.dbs, oldest, self.prune_budget)

    # -- state sync restore (``abci_app.adapter.storage.restore``) -----------------------------------

    def clear(self) -> None:
        """Empty every database (a state-sync restore starts from nothing; a failed one leaves nothing)."""
        with self.env.begin(write=True) as txn:
            for db in self.dbs.values():
                txn.drop(db, delete=False)

    def restoring(self) -> bool:
        """Whether a state-sync restore was begun and neither finished nor cleared."""
        with self.env.begin(write=False) as txn:
            return txn.get(_RESTORING, db=self.dbs[META_DB]) is not None

    def begin_restore(self) -> None:
        """Empty the store and mark it *restoring* (nothing in it is final until ``finish_restore``)."""
        self.clear()
        with self.env.begin(write=True) as txn:
            txn.put(_RESTORING, b"1", db=self.dbs[META_DB])

    def restore_chunk(self, rows: list[tuple[bytes, bytes]], height: int, root: smt.Ref | None) -> smt.Ref | None:
        """Append restored rows (keys increasing, above every stored key; each ``versions.key_fits``) as the
        state and its version at ``height``, add them to the state tree rooted at ``root`` (nodes at version
        ``height``) in the same transaction, and return the new root.  Memory: one chunk's rows and tree batch."""
        with self.env.begin(write=True) as txn:
            txn.cursor(db=self.dbs[STATE_DB]).putmulti(rows, append=True)
            txn.cursor(db=self.dbs[b"history"]).putmulti([versions.history_row(k, v, height) for k, v in rows],
                                                          append=True)
            nodes = self.dbs[b"nodes"]
            batch = smt_update.update(NodeReader(txn, nodes), root, rows, height)
            for key in batch.stale:   # same-version keys may be replaced in place: delete first, then write
                txn.delete(key, db=nodes)
            for key, raw in batch.new.items():
                txn.put(key, raw, db=nodes)
        return batch.root

    def finish_restore(self, height: int, app_hash: bytes, chain_id: str, root: smt.Ref | None) -> None:
        """Mark ``height`` committed (its app hash verified by the caller) and clear the *restoring* mark.

        ``height`` is also the oldest readable height.  No block time is stored: the
        snapshot's is not covered by the app hash (``abci_app.adapter.storage.restore``)."""
        with self.env.begin(write=True) as txn:
            raw_root = smt.encode_ref(root)
            txn.put(versions.height_key(height), raw_root, db=self.dbs[b"roots"])
            meta = self.dbs[META_DB]
            for key, value in ((_ROOT, raw_root), (_HEIGHT, struct.pack(">Q", height)), (_APP_HASH, app_hash),
                               (_CHAIN_ID, chain_id.encode()), (_OLDEST, struct.pack(">Q", height)),
                               (_BASE, struct.pack(">Q", height))):
                txn.put(key, value, db=meta)
            txn.delete(_RESTORING, db=meta)

    def _write_version(self, txn: lmdb.Transaction, writes: list, height: int, tree: smt.Batch | None) -> None:
        """Write the block's versions (``history``, ``changes``) and tree (``nodes``, ``stale``, ``roots``).

        Each database's rows go in through one ``putmulti`` (one C loop, the same rows as a put each)."""
        at = versions.height_key(height)
        txn.cursor(db=self.dbs[b"history"]).putmulti([versions.history_row(key, value, height) for key, value in writes])
        txn.cursor(db=self.dbs[b"changes"]).putmulti([(at + key, b"") for key, _ in writes])
        if tree is None:
            tree = smt.Batch(self.committed(txn).root)
        txn.cursor(db=self.dbs[b"nodes"]).putmulti(list(tree.new.items()))
        txn.cursor(db=self.dbs[b"stale"]).putmulti([(at + key, b"") for key in tree.stale])
        root = smt.encode_ref(tree.root)
        txn.put(versions.height_key(height), root, db=self.dbs[b"roots"])
        txn.put(_ROOT, root, db=self.dbs[META_DB])


_value = itemgetter(1)


def _write_rows(txn: lmdb.Transaction, db, rows: list[tuple[bytes, bytes | None]]) -> None:
    """Write ``rows`` in order, ``None`` deleting its key; without deletes, in one ``putmulti`` (one C loop)."""
    if None not in map(_value, rows):
        txn.cursor(db=db).putmulti(rows)
        return
    for key, value in rows:
        if value is None:
            txn.delete(key, db=db)
        else:
            txn.put(key, value, db=db)
