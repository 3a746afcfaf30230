"""Restore a state-sync snapshot (``abci_app.state.snapshots`` format 1) into an empty store.

Contract (driven by OfferSnapshot and ApplySnapshotChunk, which CometBFT calls in order):

* ``offer(snapshot, app_hash)``: only a store that has committed nothing takes a
  snapshot (``ABORT`` otherwise).  ``REJECT_FORMAT`` for a format other than 1;
  ``REJECT`` when the metadata is malformed, is not committed by the snapshot
  hash, lists another number of chunks or another height, names another app hash
  than the trusted one CometBFT passes (from its light client), or another chain
  id than this node's genesis.  Otherwise the store is emptied and ``ACCEPT``.
* ``apply(index, chunk, sender)``: a chunk whose SHA-256 is not the one listed
  in the metadata answers ``RETRY`` with ``refetch_chunks=[index]`` and
  ``reject_senders=[sender]`` (CometBFT drops that peer and fetches the chunk
  elsewhere).  A chunk with the right hash but bad content (malformed, keys not
  strictly increasing) means the snapshot itself is bad: the store is emptied
  and the answer is ``REJECT_SNAPSHOT``.  Good chunks are written to the store at
  once (state and version rows); the tree is built after the last chunk and its
  root must equal the trusted app hash, else the store is emptied and
  ``REJECT_SNAPSHOT``.  So a restore ends with the verified state or with nothing.

Memory: one ``(key hash, value hash)`` pair per state key is kept until the tree
is built (about 200 bytes per key in CPython).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field

from abci_app.state import smt
from abci_app.state.snapshots import FORMAT, Metadata, SnapshotFormatError, decode_chunk, snapshot_hash

ACCEPT, ABORT, REJECT, REJECT_FORMAT = "ACCEPT", "ABORT", "REJECT", "REJECT_FORMAT"
RETRY, RETRY_SNAPSHOT, REJECT_SNAPSHOT = "RETRY", "RETRY_SNAPSHOT", "REJECT_SNAPSHOT"

log = logging.getLogger("samen.snapshots")


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
    last_key: bytes | None = None
    leaves: list = field(default_factory=list)


class Restorer:
    """Restores one snapshot at a time into ``store`` (an ``abci_app.state.store.Store``)."""

    def __init__(self, store, chain_id: str = "") -> None:
        self.store = store
        self.chain_id = chain_id       # this node's chain id (from its genesis); "" = not checked
        self.session: _Session | None = None

    def offer(self, snapshot: Offered, app_hash: bytes) -> str:
        """Decide on an offered snapshot (see the module contract)."""
        self.session = None
        if self.store.committed().height != 0:
            log.warning("snapshot offered to a store that already holds height %d; aborting state sync",
                        self.store.committed().height)
            return ABORT
        if snapshot.format != FORMAT:
            return REJECT_FORMAT
        problem = self._check_offer(snapshot, app_hash)
        if problem:
            log.warning("snapshot of height %d rejected: %s", snapshot.height, problem)
            return REJECT
        self.store.clear()
        self.session = _Session(Metadata.decode(snapshot.metadata), app_hash)
        log.info("snapshot of height %d accepted: %d chunks", snapshot.height, snapshot.chunks)
        return ACCEPT

    def _check_offer(self, snapshot: Offered, app_hash: bytes) -> str:
        if snapshot_hash(snapshot.metadata) != snapshot.hash:
            return "the snapshot hash does not commit to its metadata"
        try:
            meta = Metadata.decode(snapshot.metadata)
        except SnapshotFormatError as exc:
            return str(exc)
        if meta.height != snapshot.height or len(meta.chunks) != snapshot.chunks or not meta.chunks:
            return "metadata height or chunk count differs from the snapshot's"
        if meta.app_hash != app_hash:
            return f"metadata app hash {meta.app_hash.hex()} is not the trusted {app_hash.hex()}"
        if self.chain_id and meta.chain_id != self.chain_id:
            return f"snapshot is of chain {meta.chain_id!r}, this node is on {self.chain_id!r}"
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
        except SnapshotFormatError as exc:
            log.warning("snapshot of height %d is bad (chunk %d): %s", session.meta.height, index, exc)
            return self._fail(REJECT_SNAPSHOT)
        self.store.restore_rows(rows, session.meta.height)
        session.leaves.extend((smt.key_hash(k), hashlib.sha256(v).digest()) for k, v in rows)
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
        session.last_key = last
        return rows

    def _finish(self, session: _Session) -> ChunkAnswer:
        meta = session.meta
        if len(session.leaves) != meta.entries:
            log.warning("snapshot of height %d holds %d entries, metadata says %d", meta.height,
                        len(session.leaves), meta.entries)
            return self._fail(REJECT_SNAPSHOT)
        session.leaves.sort()
        tree = smt.build_hashed(session.leaves, meta.height)
        if tree.root_hash != session.app_hash:
            log.warning("restored state of height %d hashes to %s, not the trusted %s", meta.height,
                        tree.root_hash.hex(), session.app_hash.hex())
            return self._fail(REJECT_SNAPSHOT)
        self.store.finish_restore(meta.height, session.app_hash, meta.chain_id, meta.time, tree)
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
