"""Restore a state-sync snapshot (``abci_app.adapter.storage.snapshots`` format 1) into an empty store.

Everything a peer sends is untrusted (snapshot metadata, chunk count, chunk bytes);
only the app hash CometBFT's light client verified and this node's genesis chain id
are trusted.  Contract (driven by OfferSnapshot and ApplySnapshotChunk, in order):

* ``offer(snapshot, app_hash)``: only a store that has committed nothing takes a
  snapshot (``ABORT`` otherwise).  ``REJECT_FORMAT`` for a format other than 1;
  ``REJECT`` when the metadata is malformed, is not committed by the snapshot hash,
  lists another number of chunks or another height, lists more than
  ``Limits.max_chunks`` chunks or more than ``Limits.max_entries`` entries (or fewer
  entries than chunks), names another app hash than the trusted one, or another
  chain id than this node's genesis (a node without a genesis chain id takes no
  snapshot).  Otherwise the store is emptied, marked *restoring*, and ``ACCEPT``.
* ``apply(index, chunk, sender)``: a chunk whose SHA-256 is not the one listed answers
  ``RETRY`` with ``refetch_chunks=[index]`` and ``reject_senders=[sender]`` (CometBFT
  drops that peer and fetches the chunk elsewhere).  A chunk with the right hash but
  bad content (``decode_chunk``'s shape and bounds, keys not strictly increasing, more
  entries than the metadata lists) condemns the snapshot: the store is emptied and the
  answer is ``REJECT_SNAPSHOT`` (CometBFT never offers that snapshot again and tries
  the next).  So does any unexpected failure while applying (logged in one line).
  Good chunks are written at once (state rows, their version at the snapshot height)
  and the state tree is updated in the same write transaction (nodes at version H),
  so memory stays bounded by one chunk whatever the state size.  After the last chunk
  the tree's root must equal the trusted app hash and the entry count the metadata's,
  else ``REJECT_SNAPSHOT``; only then are height, app hash and chain id written and the
  *restoring* mark cleared, in one transaction.

A restore thus ends with the verified state or with nothing: a node that stops in the
middle finds the mark at the next start and empties the store (``Restorer.__init__``).

Not restored: the snapshot's ``time`` (outside the app hash, so a peer could choose it).
The restored store has no block time until the first block after it commits; CheckTx
refuses transactions until then (``BlockTimeUnknown``, ``abci_app.adapter.app``).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from abci_app.chain.state import smt
from abci_app.adapter.storage.snapshots import FORMAT, Metadata, SnapshotFormatError, decode_chunk, snapshot_hash

ACCEPT, ABORT, REJECT, REJECT_FORMAT = "ACCEPT", "ABORT", "REJECT", "REJECT_FORMAT"
RETRY, RETRY_SNAPSHOT, REJECT_SNAPSHOT = "RETRY", "RETRY_SNAPSHOT", "REJECT_SNAPSHOT"
DEFAULT_MAX_CHUNKS = 16_384          # 64 GiB (the default LMDB map size) in 4 MiB chunks; metadata ~1 MB
DEFAULT_MAX_ENTRIES = 200_000_000    # state keys

log = logging.getLogger("samen.snapshots")


@dataclass(frozen=True, slots=True)
class Limits:
    """What a restoring node accepts from a peer's snapshot (``[snapshot] restore_max_*``)."""
    max_chunks: int = DEFAULT_MAX_CHUNKS
    max_entries: int = DEFAULT_MAX_ENTRIES


@dataclass(frozen=True, slots=True)
class Offered:
    height: int
    format: int
    chunks: int
    hash: bytes
    metadata: bytes


@dataclass(frozen=True, slots=True)
class ChunkAnswer:
    result: str
    refetch_chunks: tuple[int, ...] = ()
    reject_senders: tuple[str, ...] = ()


@dataclass(slots=True)
class _Session:
    meta: Metadata
    app_hash: bytes
    next: int = 0
    entries: int = 0
    last_key: bytes | None = None
    root: smt.Ref | None = None


class Restorer:
    """Restores one snapshot at a time into ``store`` (an ``abci_app.adapter.storage.store.Store``)."""

    def __init__(self, store, chain_id: str = "", limits: Limits = Limits()) -> None:
        self.store = store
        self.chain_id = chain_id       # this node's chain id, from its genesis
        self.limits = limits
        self.session: _Session | None = None
        if store.restoring():
            log.warning("a state-sync restore was interrupted; emptying the store")
            store.clear()

    def offer(self, snapshot: Offered, app_hash: bytes) -> str:
        """Decide on an offered snapshot (see the module contract)."""
        self.session = None
        if self.store.committed().height != 0:
            log.warning("snapshot offered to a store that already holds height %d; aborting state sync",
                        self.store.committed().height)
            return ABORT
        if snapshot.format != FORMAT:
            return REJECT_FORMAT
        try:
            problem = self._check_offer(snapshot, app_hash)
        except Exception as exc:   # noqa: BLE001 -- a peer's metadata never halts the node
            problem = f"metadata could not be checked ({type(exc).__name__}: {str(exc)[:200]})"
        if problem:
            log.warning("snapshot of height %d rejected: %s", snapshot.height, problem)
            return REJECT
        self.store.begin_restore()
        self.session = _Session(Metadata.decode(snapshot.metadata), app_hash)
        log.info("snapshot of height %d accepted: %d chunks", snapshot.height, snapshot.chunks)
        return ACCEPT

    def _check_offer(self, snapshot: Offered, app_hash: bytes) -> str:
        if snapshot_hash(snapshot.metadata) != snapshot.hash:
            return "the snapshot hash does not commit to its metadata"
        if not self.chain_id:
            return "this node's genesis names no chain id, so no snapshot can be checked against it"
        try:
            meta = Metadata.decode(snapshot.metadata)
        except SnapshotFormatError as exc:
            return str(exc)
        if meta.height != snapshot.height or len(meta.chunks) != snapshot.chunks or not meta.chunks:
            return "metadata height or chunk count differs from the snapshot's"
        if len(meta.chunks) > self.limits.max_chunks:
            return f"{len(meta.chunks)} chunks, more than the {self.limits.max_chunks} this node takes"
        if not len(meta.chunks) <= meta.entries <= self.limits.max_entries:
            return f"{meta.entries} entries: not between the chunk count and {self.limits.max_entries}"
        if meta.app_hash != app_hash:
            return f"metadata app hash {meta.app_hash.hex()} is not the trusted {app_hash.hex()}"
        if meta.chain_id != self.chain_id:
            return f"snapshot is of chain {meta.chain_id[:80]!r}, this node is on {self.chain_id!r}"
        return ""

    def apply(self, index: int, chunk: bytes, sender: str) -> ChunkAnswer:
        """Verify and apply one chunk (see the module contract)."""
        session = self.session
        if session is None:
            return ChunkAnswer(ABORT)
        if index != session.next:
            log.warning("chunk %d arrived, expected %d; restarting the snapshot", index, session.next)
            return self._fail(RETRY_SNAPSHOT)
        if index >= len(session.meta.chunks) or hashlib.sha256(chunk).digest() != session.meta.chunks[index]:
            log.warning("chunk %d from peer %s does not match its listed hash; rejecting the sender", index, sender)
            return ChunkAnswer(RETRY, (index,), (sender,) if sender else ())
        try:
            rows = self._checked_rows(session, chunk)
            session.root = self.store.restore_chunk(rows, session.meta.height, session.root)
        except SnapshotFormatError as exc:
            log.warning("snapshot of height %d is bad (chunk %d from peer %s): %s", session.meta.height, index,
                        sender, exc)
            return self._fail(REJECT_SNAPSHOT)
        except Exception as exc:   # noqa: BLE001 -- never halt on a peer's data; this snapshot is dropped
            log.error("snapshot of height %d: chunk %d could not be applied (%s: %.200s); rejecting the snapshot",
                      session.meta.height, index, type(exc).__name__, exc)
            return self._fail(REJECT_SNAPSHOT)
        session.next += 1
        if session.next < len(session.meta.chunks):
            return ChunkAnswer(ACCEPT)
        return self._finish(session)

    def _checked_rows(self, session: _Session, chunk: bytes) -> list[tuple[bytes, bytes]]:
        rows = decode_chunk(chunk)
        last = session.last_key
        for key, _ in rows:
            if last is not None and key <= last:
                raise SnapshotFormatError("keys are not strictly increasing")
            last = key
        session.entries += len(rows)
        if session.entries > session.meta.entries:
            raise SnapshotFormatError(f"more entries than the {session.meta.entries} the metadata lists")
        session.last_key = last
        return rows

    def _finish(self, session: _Session) -> ChunkAnswer:
        meta = session.meta
        if session.entries != meta.entries:
            log.warning("snapshot of height %d holds %d entries, metadata says %d", meta.height,
                        session.entries, meta.entries)
            return self._fail(REJECT_SNAPSHOT)
        root_hash = smt.EMPTY_ROOT if session.root is None else session.root.hash
        if root_hash != session.app_hash:
            log.warning("restored state of height %d hashes to %s, not the trusted %s", meta.height,
                        root_hash.hex(), session.app_hash.hex())
            return self._fail(REJECT_SNAPSHOT)
        self.store.finish_restore(meta.height, session.app_hash, self.chain_id, session.root)
        self.session = None
        log.info("snapshot of height %d restored: %d keys, app hash %s", meta.height, meta.entries,
                 session.app_hash.hex())
        return ChunkAnswer(ACCEPT)

    def _fail(self, result: str) -> ChunkAnswer:
        self.session = None
        self.store.clear()
        return ChunkAnswer(result)

    @property
    def done(self) -> bool:
        """Whether no restore is in progress."""
        return self.session is None
