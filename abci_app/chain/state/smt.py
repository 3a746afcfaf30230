"""The state Merkle tree: a 16-ary sparse Merkle tree keyed by SHA-256 of the state key.

Hashing rules (normative; ``docs/proofs.md`` restates them for other languages)::

    kh            = SHA-256(state_key)                 # 32 bytes, read as 64 nibbles, high nibble first
    leaf(kh, v)   = SHA-256(0x00 || kh || SHA-256(v))
    internal(n)   = SHA-256(0x01 || u16be(bitmap) || h_a || h_b || ...)   # non-empty children, ascending nibble
    empty tree    = 32 zero bytes

Bit ``1 << i`` of ``bitmap`` is set when the child for nibble ``i`` is non-empty.
The shape is canonical, a function of the key set only: the subtree at a nibble
path holding no key is empty, holding exactly one key is that key's leaf, and
holding two or more keys is an internal node whose 16 child slots are the paths
extended by one nibble.  So the root does not depend on insertion order.

Storage: every node is stored under ``node_key(depth, kh, version)`` (the height that
created it and its nibble path), so past versions stay readable until they
are pruned.  An update never changes a stored node: it creates new ones
(``Batch.new``) and lists the node keys it replaced (``Batch.stale``).

Stored node encoding::

    leaf      0x00 || kh || SHA-256(value)
    internal  0x01 || u16be(bitmap) || per child: hash(32) || u64be(version) || kind(1: 0 leaf, 1 internal)

This module is pure: it reads nodes through a ``NodeRead`` and writes nothing.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

EMPTY_ROOT = bytes(32)
LEAF, INTERNAL = 0, 1
_U64 = struct.Struct(">Q")
_U16 = struct.Struct(">H")
_CHILD = 41
_sha256 = hashlib.sha256


class Ref(NamedTuple):
    """A pointer to a stored node: its hash, the version that created it and its kind."""
    hash: bytes
    version: int
    kind: int


class NodeRead(Protocol):
    def get(self, node_key: bytes) -> bytes | None:
        """Return the stored node, or ``None``."""


@dataclass(slots=True)
class Batch:
    """The result of one update: the new root, nodes to store, stored node keys replaced."""
    root: Ref | None
    new: dict[bytes, bytes] = field(default_factory=dict)
    stale: list[bytes] = field(default_factory=list)

    @property
    def root_hash(self) -> bytes:
        return EMPTY_ROOT if self.root is None else self.root.hash


def key_hash(key: bytes) -> bytes:
    return _sha256(key).digest()


def leaf_hash(kh: bytes, vh: bytes) -> bytes:
    return _sha256(b"\x00" + kh + vh).digest()


def internal_hash(bitmap: int, hashes: list[bytes]) -> bytes:
    return _sha256(b"\x01" + _U16.pack(bitmap) + b"".join(hashes)).digest()


def nibble(kh: bytes, depth: int) -> int:
    byte = kh[depth >> 1]
    return byte & 0x0F if depth & 1 else byte >> 4


def with_nibble(kh: bytes, depth: int, nib: int) -> bytes:
    """Return ``kh`` with nibble ``depth`` set to ``nib`` (later nibbles are irrelevant)."""
    i = depth >> 1
    byte = (kh[i] & 0xF0) | nib if depth & 1 else (nib << 4)
    return kh[:i] + bytes([byte])


def node_key(depth: int, kh: bytes, version: int) -> bytes:
    """``u64be version || u8 depth || first depth nibbles of kh, packed (odd: last half byte zero)``.

    Version first: the nodes a block creates are appended at the end of the
    database (few pages touched per Commit) instead of scattered over it.
    """
    return _U64.pack(version) + node_path(depth, kh)


def node_path(depth: int, kh: bytes) -> bytes:
    """The version-independent tail of ``node_key``: ``u8 depth || packed nibble path``."""
    half = depth >> 1
    if depth & 1:
        return bytes([depth]) + kh[:half] + bytes([kh[half] & 0xF0])
    return bytes([depth]) + kh[:half]


def encode_ref(ref: Ref | None) -> bytes:
    return b"" if ref is None else ref.hash + _U64.pack(ref.version) + bytes([ref.kind])


def decode_ref(raw: bytes) -> Ref | None:
    return None if not raw else Ref(bytes(raw[:32]), _U64.unpack(raw[32:40])[0], raw[40])


def encode_internal(children: dict[int, bytes]) -> tuple[bytes, bytes]:
    """Return ``(stored bytes, hash)`` of an internal node from its encoded child refs."""
    nibs = sorted(children)
    parts = [children[n] for n in nibs]
    head = b"\x01" + _U16.pack(_bitmap(nibs))
    digest = _sha256(head + b"".join([p[:32] for p in parts])).digest()
    return head + b"".join(parts), digest


_BITMAPS: dict[tuple[int, ...], int] = {}


def _bitmap(nibs: list[int]) -> int:
    key = tuple(nibs)
    found = _BITMAPS.get(key)
    if found is None:
        found = _BITMAPS[key] = sum(1 << n for n in nibs)
    return found


_NIBBLES: dict[int, tuple[int, ...]] = {}


def _nibbles(bitmap: int) -> tuple[int, ...]:
    found = _NIBBLES.get(bitmap)
    if found is None:
        found = _NIBBLES[bitmap] = tuple(n for n in range(16) if bitmap & (1 << n))
    return found


def decode_internal(raw: bytes) -> dict[int, bytes]:
    """Return ``{nibble: encoded child Ref}`` (41 bytes each; see ``decode_ref``)."""
    nibs = _nibbles((raw[1] << 8) | raw[2])
    return dict(zip(nibs, [raw[i:i + _CHILD] for i in range(3, 3 + _CHILD * len(nibs), _CHILD)]))


class _Update:
    """One batch update at ``version`` over the tree read through ``nodes``.

    Internally a child is handled as its 41-byte encoded ref (``hash || u64be version
    || kind``), so a node key is ``entry[32:40] + node_path`` with no decoding.
    """

    def __init__(self, nodes: NodeRead, version: int) -> None:
        self.nodes = nodes
        self.vbytes = _U64.pack(version)
        self.batch = Batch(None)

    def read(self, key: bytes) -> bytes:
        raw = self.batch.new.get(key)
        if raw is None:
            raw = self.nodes.get(key)
        if raw is None:
            raise LookupError(f"missing tree node {key.hex()}")
        return raw

    def retire(self, key: bytes) -> None:
        """Drop a node replaced by this update (forget it if this update created it)."""
        if self.batch.new.pop(key, None) is None:
            self.batch.stale.append(key)

    def put_leaf(self, depth: int, kh: bytes, vh: bytes) -> bytes:
        self.batch.new[self.vbytes + node_path(depth, kh)] = b"\x00" + kh + vh
        return _sha256(b"\x00" + kh + vh).digest() + self.vbytes + b"\x00"

    def put_internal(self, path: bytes, children: dict[int, bytes]) -> bytes:
        raw, digest = encode_internal(children)
        self.batch.new[self.vbytes + path] = raw
        return digest + self.vbytes + b"\x01"

    def build(self, depth: int, leaves: list[tuple[bytes, bytes]]) -> bytes | None:
        """Build the canonical subtree at ``depth`` for ``leaves`` (sorted ``(kh, vh)``)."""
        if not leaves:
            return None
        if len(leaves) == 1:
            return self.put_leaf(depth, *leaves[0])
        children = {nib: self.build(depth + 1, group) for nib, group in _groups(leaves, depth)}
        return self.put_internal(node_path(depth, leaves[0][0]), children)

    def update(self, depth: int, entry: bytes | None, writes: list[tuple[bytes, bytes | None]]) -> bytes | None:
        """Apply ``writes`` (sorted by kh; ``None`` deletes) to the subtree ``entry`` at ``depth``."""
        if entry is None:
            return self.build(depth, [w for w in writes if w[1] is not None])
        kh0 = writes[0][0]
        path = node_path(depth, kh0)
        key = entry[32:40] + path
        raw = self.read(key)
        if raw[0] == LEAF:
            return self._update_leaf(depth, key, entry, raw[1:33], raw[33:65], writes)
        children = decode_internal(raw)
        changed = False
        for nib, group in _groups(writes, depth):
            old = children.get(nib)
            new = self.update(depth + 1, old, group)
            if new != old:
                changed = True
                if new is None:
                    del children[nib]
                else:
                    children[nib] = new
        if not changed:
            return entry
        self.retire(key)
        return self._collapse(depth, kh0, path, children)

    def _update_leaf(self, depth, key, entry, kh, vh, writes) -> bytes | None:
        merged = {kh: vh}
        for wkh, wvh in writes:
            if wvh is None:
                merged.pop(wkh, None)
            else:
                merged[wkh] = wvh
        if merged == {kh: vh}:
            return entry
        self.retire(key)
        return self.build(depth, sorted(merged.items()))

    def _collapse(self, depth: int, kh: bytes, path: bytes, children: dict[int, bytes]) -> bytes | None:
        """Store an internal node, or lift a lone leaf child into this position."""
        if not children:
            return None
        if len(children) == 1:
            (nib, only), = children.items()
            if only[40] == LEAF:
                child_key = only[32:40] + node_path(depth + 1, with_nibble(kh, depth, nib))
                raw = self.read(child_key)
                self.retire(child_key)
                return self.put_leaf(depth, raw[1:33], raw[33:65])
        return self.put_internal(path, children)


def _groups(items: list, depth: int):
    """Yield ``(nibble, items)`` runs of kh-sorted ``items`` by their nibble at ``depth``."""
    half = depth >> 1
    if len(items) == 1:
        byte = items[0][0][half]
        yield (byte & 0x0F if depth & 1 else byte >> 4), items
        return
    nibs = [it[0][half] & 0x0F for it in items] if depth & 1 else [it[0][half] >> 4 for it in items]
    start, current = 0, nibs[0]
    for i in range(1, len(nibs)):
        if nibs[i] != current:
            yield current, items[start:i]
            start, current = i, nibs[i]
    yield current, items[start:]


def hashed_writes(write_set: list[tuple[bytes, bytes | None]]) -> list[tuple[bytes, bytes | None]]:
    """Turn a state write set into ``(kh, value hash or None)`` pairs sorted by kh."""
    return sorted((key_hash(k), None if v is None else _sha256(v).digest()) for k, v in write_set)


class Layered:
    """A ``NodeRead`` that sees a pending batch's new nodes over a base reader."""

    __slots__ = ("new", "base")

    def __init__(self, new: dict[bytes, bytes], base: NodeRead) -> None:
        self.new, self.base = new, base

    def get(self, node_key: bytes) -> bytes | None:
        raw = self.new.get(node_key)
        return raw if raw is not None else self.base.get(node_key)


def merge(first: Batch, second: Batch) -> Batch:
    """Combine two consecutive uncommitted batches into one to commit together."""
    new = dict(first.new)
    stale = list(first.stale)
    for key in second.stale:
        if new.pop(key, None) is None:
            stale.append(key)
    new.update(second.new)
    return Batch(second.root, new, stale)


def update(nodes: NodeRead, root: Ref | None, write_set: list[tuple[bytes, bytes | None]], version: int) -> Batch:
    """Apply a write set to the tree rooted at ``root``; nodes created get ``version``.

    Cost: O(writes x depth) node reads and hashes; depth is about log16(keys).
    A write set that changes nothing returns the same root and an empty batch.
    """
    job = _Update(nodes, version)
    writes = hashed_writes(write_set)
    if writes:
        job.batch.root = decode_ref(job.update(0, encode_ref(root) or None, writes) or b"")
    else:
        job.batch.root = root
    return job.batch


def build_hashed(leaves: list[tuple[bytes, bytes]], version: int) -> Batch:
    """Return the tree holding exactly ``leaves`` (``(kh, value hash)`` sorted by kh, distinct kh)."""
    job = _Update({}, version)   # a plain dict is an empty NodeRead
    job.batch.root = decode_ref(job.build(0, leaves) or b"")
    return job.batch
