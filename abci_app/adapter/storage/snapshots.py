"""State-sync snapshots, format 1: build them in the background, list and serve them.

A snapshot of height H is the whole state committed at H (``Store.state_at``) as a
byte stream cut into chunks; restoring is ``abci_app.adapter.storage.restore``.

Chunk encoding: a run of entries in strictly increasing key order, each
``u32be(len key) || key || u32be(len value) || value``.  A chunk is closed before
an entry would push it past ``chunk_bytes`` (an entry larger than that gets a chunk
of its own).  Chunks are a function of the state and ``chunk_bytes`` only, so every
node with the same setting builds byte-identical snapshots for the same height.

Metadata (canonical JSON: sorted keys, no spaces)::

    {"app_hash": hex, "chain_id": str, "chunks": [hex SHA-256 of each chunk, ...],
     "entries": n, "format": 1, "height": H, "time": block time of H (seconds)}

Snapshot ``hash`` = SHA-256(metadata), so the metadata (and through it every chunk)
is committed by the hash.  None of it is trusted by a restoring node: each chunk
is checked against its listed hash, and the restored tree against the app hash
CometBFT's light client verified.  ``chain_id`` and ``time`` are outside the app
hash (see ``docs/proofs.md`` §7).

On disk: ``<dir>/<H, 20 digits>/metadata`` and ``chunk-<index, 6 digits>``; a
snapshot is built under ``<dir>/.building-<H>`` and renamed when complete, so a
listed snapshot is always whole.  The last ``keep_recent`` snapshots are kept.

Fault for tests (``SAMEN_FAULT_CORRUPT_CHUNKS=1``, read by ``abci_app.__main__``):
every served chunk has its last byte flipped, so the node serves corrupted chunks.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import struct
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from abci_app.chain.state.versions import key_fits

FORMAT = 1
DEFAULT_CHUNK_BYTES = 4 << 20    # CometBFT accepts chunks < 16 MB; 10 MB suggested
MAX_CHUNK_BYTES = 10 << 20      # CometBFT's suggested bound (its hard limit is 16 MB)
DEFAULT_KEEP_RECENT = 2
MAX_CHUNK_WIRE_BYTES = 16_000_000   # CometBFT's chunk message limit: no bigger chunk can arrive
MAX_VALUE_BYTES = 4 << 20           # far above any value the state machine writes (transactions are <= 1 MiB)
MAX_KEY_FIELD = 511                 # LMDB's key limit; ``key_fits`` is the exact rule
_U32 = struct.Struct(">I")
_PREFIX = ".building-"
_HEIGHT_DIR = re.compile(r"[0-9]{20}")

log = logging.getLogger("samen.snapshots")


class SnapshotFormatError(ValueError):
    """Metadata or a chunk is malformed (the snapshot itself is bad, not one copy of it)."""


@dataclass(frozen=True, slots=True)
class Metadata:
    height: int
    chain_id: str
    time: int
    app_hash: bytes
    entries: int
    chunks: tuple[bytes, ...]    # SHA-256 of each chunk

    def encode(self) -> bytes:
        doc = {"app_hash": self.app_hash.hex(), "chain_id": self.chain_id, "chunks": [c.hex() for c in self.chunks],
               "entries": self.entries, "format": FORMAT, "height": self.height, "time": self.time}
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def decode(cls, raw: bytes) -> "Metadata":
        try:
            doc = json.loads(raw)
            meta = cls(int(doc["height"]), str(doc["chain_id"]), int(doc["time"]), bytes.fromhex(doc["app_hash"]),
                       int(doc["entries"]), tuple(bytes.fromhex(c) for c in doc["chunks"]))
            if doc["format"] != FORMAT or any(len(c) != 32 for c in meta.chunks) or len(meta.app_hash) != 32:
                raise ValueError("bad format, chunk hash or app hash")
        except (ValueError, KeyError, TypeError, RecursionError) as exc:   # RecursionError: deeply nested JSON
            raise SnapshotFormatError(f"malformed snapshot metadata: {type(exc).__name__}: {exc}"[:300]) from None
        if meta.encode() != bytes(raw):
            raise SnapshotFormatError("snapshot metadata is not in canonical form")
        return meta


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """What ListSnapshots advertises."""
    height: int
    format: int
    chunks: int
    hash: bytes
    metadata: bytes


def snapshot_hash(metadata: bytes) -> bytes:
    return hashlib.sha256(metadata).digest()


def encode_chunks(entries: Iterable[tuple[bytes, bytes]], chunk_bytes: int) -> Iterator[bytes]:
    """Cut key-ordered ``(key, value)`` entries into encoded chunks (see the module doc)."""
    parts, size = [], 0
    for key, value in entries:
        entry = _U32.pack(len(key)) + key + _U32.pack(len(value)) + value
        if parts and size + len(entry) > chunk_bytes:
            yield b"".join(parts)
            parts, size = [], 0
        parts.append(entry)
        size += len(entry)
    if parts:
        yield b"".join(parts)


def decode_chunk(chunk: bytes) -> list[tuple[bytes, bytes]]:
    """Return a chunk's entries; raise ``SnapshotFormatError`` unless it is well formed and within bounds.

    Well formed: not empty, at most ``MAX_CHUNK_WIRE_BYTES``, a whole number of entries;
    each key not empty and storable (``versions.key_fits``: its versioned form fits
    LMDB's 511-byte key limit), each value at most ``MAX_VALUE_BYTES``.  Key order is
    checked by the restorer (it spans chunks).
    """
    if not chunk:
        raise SnapshotFormatError("empty chunk")
    if len(chunk) > MAX_CHUNK_WIRE_BYTES:
        raise SnapshotFormatError(f"chunk of {len(chunk)} bytes is above {MAX_CHUNK_WIRE_BYTES}")
    out, pos, end = [], 0, len(chunk)
    view = memoryview(chunk)
    while pos < end:
        key, pos = _field(chunk, view, pos, MAX_KEY_FIELD, "key")
        if not key_fits(key):
            raise SnapshotFormatError(f"a key of {len(key)} bytes cannot be stored (empty, or above LMDB's limit)")
        value, pos = _field(chunk, view, pos, MAX_VALUE_BYTES, "value")
        out.append((key, value))
    return out


def _field(chunk: bytes, view: memoryview, pos: int, limit: int, what: str) -> tuple[bytes, int]:
    """Read one ``u32be(length) || bytes`` field at ``pos``; return it and the next position."""
    if pos + 4 > len(chunk):
        raise SnapshotFormatError("chunk ends inside a length prefix")
    length = _U32.unpack_from(chunk, pos)[0]
    pos += 4
    if length > limit:
        raise SnapshotFormatError(f"a {what} of {length} bytes is above the limit of {limit}")
    if pos + length > len(chunk):
        raise SnapshotFormatError("chunk ends inside an entry")
    return bytes(view[pos:pos + length]), pos + length


class SnapshotStore:
    """Snapshots of one node: build (synchronously or in a background thread), list, serve."""

    def __init__(self, directory: Path, interval: int = 0, keep_recent: int = DEFAULT_KEEP_RECENT,
                 chunk_bytes: int = DEFAULT_CHUNK_BYTES, corrupt_served: bool = False) -> None:
        if interval < 0 or keep_recent < 1 or not 1 <= chunk_bytes <= MAX_CHUNK_BYTES:
            raise ValueError(f"[snapshot] settings: interval >= 0, keep_recent >= 1 and 1 <= chunk_bytes <= "
                             f"{MAX_CHUNK_BYTES} are required, got {interval}, {keep_recent}, {chunk_bytes}")
        self.dir = Path(directory)
        self.interval = interval
        self.keep_recent = keep_recent
        self.chunk_bytes = chunk_bytes
        self.corrupt_served = corrupt_served
        self._thread: threading.Thread | None = None

    def after_commit(self, store, height: int, chain_id: str, time: int) -> bool:
        """Start a background build if ``height`` is a snapshot height; return whether one started.

        A build still running when the next one is due makes that one be skipped
        (logged), so a slow disk never queues work behind the chain.
        """
        if self.interval <= 0 or height % self.interval != 0:
            return False
        if self._thread is not None and self._thread.is_alive():
            log.warning("snapshot of height %d skipped: the previous one is still being built", height)
            return False
        self._thread = threading.Thread(target=self._build_logged, args=(store, height, chain_id, time),
                                        name=f"snapshot-{height}", daemon=True)
        self._thread.start()
        return True

    def wait(self, timeout: float | None = None) -> None:
        """Wait for a running background build (tests and shutdown)."""
        if self._thread is not None:
            self._thread.join(timeout)

    def _build_logged(self, store, height: int, chain_id: str, time: int) -> None:
        try:
            info = self.build(store, height, chain_id, time)
            log.info("snapshot of height %d built: %d chunks", height, info.chunks)
        except Exception:   # a failed snapshot must never affect the chain
            log.exception("snapshot of height %d failed", height)

    def build(self, store, height: int, chain_id: str, time: int) -> SnapshotInfo:
        """Write the snapshot of ``height`` from its own read transaction; prune old ones."""
        work = self.dir / f"{_PREFIX}{height}"
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        app_hash, hashes, entries = self._write_state(work, store, height)
        meta = Metadata(height, chain_id, time, app_hash, entries, tuple(hashes))
        (work / "metadata").write_bytes(meta.encode())
        final = self.dir / f"{height:020d}"
        shutil.rmtree(final, ignore_errors=True)
        work.rename(final)
        self.prune()
        return self._info(final)

    def _write_state(self, work: Path, store, height: int) -> tuple[bytes, list[bytes], int]:
        """Write the chunks of the state at ``height`` into ``work``; return its app hash, chunk hashes, entries."""
        txn = store.read_txn()
        try:
            root = store.root_at(txn, height)
            hashes, entries = self._write_chunks(work, store.state_at(txn, height))
        finally:
            txn.abort()
        return (root.hash if root else bytes(32)), hashes, entries

    def _write_chunks(self, work: Path, state) -> tuple[list[bytes], int]:
        counted = [0]

        def entries() -> Iterator[tuple[bytes, bytes]]:
            for key, value in state.iter_prefix(b""):
                if not key_fits(key) or len(value) > MAX_VALUE_BYTES:   # no node could restore it
                    raise SnapshotFormatError(f"state key {bytes(key[:40]).hex()}... or its value exceeds the bounds "
                                              "of decode_chunk; no snapshot is built")
                counted[0] += 1
                yield key, bytes(value)

        hashes = []
        for index, chunk in enumerate(encode_chunks(entries(), self.chunk_bytes)):
            (work / f"chunk-{index:06d}").write_bytes(chunk)
            hashes.append(hashlib.sha256(chunk).digest())
        return hashes, counted[0]

    def prune(self) -> None:
        for old in self._dirs()[:-self.keep_recent]:
            shutil.rmtree(old, ignore_errors=True)

    def _dirs(self) -> list[Path]:
        if not self.dir.exists():
            return []
        return sorted(p for p in self.dir.iterdir() if _HEIGHT_DIR.fullmatch(p.name) and (p / "metadata").exists())

    def _info(self, path: Path) -> SnapshotInfo:
        raw = (path / "metadata").read_bytes()
        meta = Metadata.decode(raw)
        return SnapshotInfo(meta.height, FORMAT, len(meta.chunks), snapshot_hash(raw), raw)

    def oldest_height(self) -> int | None:
        """The height of the oldest snapshot on disk (None: none), from directory names only."""
        dirs = self._dirs()
        return int(dirs[0].name) if dirs else None

    def list(self) -> list[SnapshotInfo]:
        """Return the complete snapshots, newest first."""
        out = []
        for path in reversed(self._dirs()):
            try:
                out.append(self._info(path))
            except (OSError, SnapshotFormatError):
                continue   # pruned meanwhile, or damaged on disk: not advertised
        return out

    def load_chunk(self, height: int, format_: int, index: int) -> bytes:
        """Return chunk ``index`` of the snapshot of ``height`` (``b""``: no such chunk)."""
        if format_ != FORMAT:
            return b""
        try:
            chunk = (self.dir / f"{height:020d}" / f"chunk-{index:06d}").read_bytes()
        except OSError:
            return b""
        if self.corrupt_served and chunk:
            chunk = chunk[:-1] + bytes([chunk[-1] ^ 0xFF])
        return chunk
