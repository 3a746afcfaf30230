"""Test fault: a node that advertises malformed snapshots (``SAMEN_FAULT_BAD_SNAPSHOTS=1``).

Read by ``abci_app.__main__``; never used otherwise.  After building its honest
snapshot of height H, the node also builds one *variant* per bad shape in ``SHAPES``,
the i-th (from 0) at height H - 1 - i: CometBFT asks for a chunk by height, format and
index only, so a variant must not share its height with any snapshot the node serves
(use an ``interval`` above ``len(SHAPES)``).  Each variant is
self-consistent: its metadata names the true app hash and chain id of its height and
the SHA-256 of its own chunks, so the hash checks pass and only a restoring node's
content checks can catch it:

* ``empty_key``, ``long_key`` (600 bytes), ``big_value`` (``MAX_VALUE_BYTES`` + 1),
  ``garbage`` (a chunk cut inside a length prefix): a bad chunk 0 before the honest chunks;
* ``too_many_chunks``: metadata listing ``restore.DEFAULT_MAX_CHUNKS`` + 1 chunks.

``list()`` shows the newest honest snapshot's variants instead of it, and the older
snapshots as built; so a joining node that rejects every variant can still restore an
honest (older) snapshot from the same peer.  Variants of the last ``keep_recent``
snapshots stay servable.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import struct
from pathlib import Path

from abci_app.adapter.storage.restore import DEFAULT_MAX_CHUNKS
from abci_app.adapter.storage.snapshots import MAX_VALUE_BYTES, Metadata, SnapshotInfo, SnapshotStore

SHAPES = ("empty_key", "long_key", "big_value", "garbage", "too_many_chunks")
_U32 = struct.Struct(">I")

log = logging.getLogger("samen.snapshots")


def _entry(key: bytes, value: bytes) -> bytes:
    return _U32.pack(len(key)) + key + _U32.pack(len(value)) + value


BAD_CHUNKS = {
    "empty_key": _entry(b"", b"x"),
    "long_key": _entry(b"\x01" * 600, b"x"),
    "big_value": _entry(b"\x01", b"v" * (MAX_VALUE_BYTES + 1)),
    "garbage": b"\x00\x00\x00\x03abc\x00\x00",
}


class BadSnapshotStore(SnapshotStore):
    """A ``SnapshotStore`` that advertises malformed variants (see the module doc)."""

    @property
    def _bad(self) -> Path:
        return self.dir / "bad"

    def build(self, store, height: int, chain_id: str, time: int) -> SnapshotInfo:
        info = super().build(store, height, chain_id, time)
        try:
            self._build_variants(store, height, chain_id, time)
        except Exception as exc:   # noqa: BLE001 -- a test fault; the honest snapshot stands
            log.warning("bad snapshot variants of height %d not built: %s", height, exc)
        return info

    def _build_variants(self, store, height: int, chain_id: str, time: int) -> None:
        base = self._bad / f"{height:020d}"
        shutil.rmtree(base, ignore_errors=True)
        for offset, shape in enumerate(SHAPES, start=1):
            if height - offset >= 1:
                self._build_variant(store, base / f"{height - offset:020d}", height - offset, chain_id, time, shape)
        keep = {p.name for p in self._dirs()}
        for old in self._bad.iterdir():
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def _build_variant(self, store, work: Path, height: int, chain_id: str, time: int, shape: str) -> None:
        work.mkdir(parents=True)
        app_hash, hashes, entries = self._write_state(work, store, height)
        if shape == "too_many_chunks":
            hashes = hashes + [hashes[-1]] * (DEFAULT_MAX_CHUNKS + 1 - len(hashes))
            entries = max(entries, len(hashes))
        else:
            for index in reversed(range(len(hashes))):
                (work / f"chunk-{index:06d}").rename(work / f"chunk-{index + 1:06d}")
            (work / "chunk-000000").write_bytes(BAD_CHUNKS[shape])
            hashes = [hashlib.sha256(BAD_CHUNKS[shape]).digest(), *hashes]
            entries += 1
        meta = Metadata(height, chain_id, time, app_hash, entries, tuple(hashes))
        (work / "metadata").write_bytes(meta.encode())

    def list(self) -> list[SnapshotInfo]:
        honest = super().list()
        if not honest:
            return []
        base = self._bad / f"{honest[0].height:020d}"
        variants = sorted((p for p in base.iterdir() if (p / "metadata").exists()), reverse=True) \
            if base.exists() else []
        return [self._info(p) for p in variants] + honest[1:]

    def load_chunk(self, height: int, format_: int, index: int) -> bytes:
        for base in sorted(self._bad.iterdir(), reverse=True) if self._bad.exists() else ():
            path = base / f"{height:020d}" / f"chunk-{index:06d}"
            if path.exists():
                return path.read_bytes()
        return super().load_chunk(height, format_, index)
