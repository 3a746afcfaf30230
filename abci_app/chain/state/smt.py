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

This module is pure: it reads nodes through a ``NodeRead`` and writes nothing.  The update
itself (``update``, ``build_hashed``) is in ``abci_app.chain.state.smt_update``.
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
REF_SIZE = 41   # an encoded child ref: hash(32) || u64be(version) || kind(1)
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


def child_nibbles(bitmap: int) -> tuple[int, ...]:
    """The nibbles of the non-empty children an internal node's ``bitmap`` marks, ascending."""
    found = _NIBBLES.get(bitmap)
    if found is None:
        found = _NIBBLES[bitmap] = tuple(n for n in range(16) if bitmap & (1 << n))
    return found


def decode_internal(raw: bytes) -> dict[int, bytes]:
    """Return ``{nibble: encoded child Ref}`` (41 bytes each; see ``decode_ref``)."""
    nibs = child_nibbles((raw[1] << 8) | raw[2])
    return dict(zip(nibs, [raw[i:i + REF_SIZE] for i in range(3, 3 + REF_SIZE * len(nibs), REF_SIZE)]))


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
