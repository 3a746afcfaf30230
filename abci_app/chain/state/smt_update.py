"""Updating the state Merkle tree (``abci_app.chain.state.smt`` states its rules and node encoding).

``update`` applies a block's write set to the stored tree and returns the new nodes and
the replaced ones as a ``Batch``; ``build_hashed`` builds a tree from scratch.  Pure: nodes
are read through a ``NodeRead``, nothing is written.  Its cost is per node visited
(O(writes x depth)), so each level does its work in a few C calls (see ``_Update``).
"""

from __future__ import annotations

import hashlib
import struct
from bisect import bisect_left
from typing import Iterator, TypeVar

from abci_app.chain.state.smt import (LEAF, REF_SIZE, Batch, NodeRead, Ref, child_nibbles, decode_ref, encode_internal, encode_ref,
                                key_hash, node_path, with_nibble)

_sha256 = hashlib.sha256
_U16 = struct.Struct(">H")
_U64 = struct.Struct(">Q")

# A write or a leaf, ``(kh, vh)``: ``_groups`` splits either kind of kh-sorted list.
_Item = TypeVar("_Item", tuple[bytes, bytes], tuple[bytes, bytes | None])
# What ``one`` records of each internal node it passes: depth, node key, path, stored bytes,
# the key's nibble there, the node's child bitmap and the old ref in that slot (``None``: empty).
_Passed = tuple[int, bytes, bytes, bytes, int, int, bytes | None]


class _Update:
    """One batch update at ``version`` over the tree read through ``nodes``.

    Internally a child is handled as its 41-byte encoded ref (``hash || u64be version
    || kind``), so a node key is ``entry[32:40] + node_path`` with no decoding.  The
    cost is per visited node, so each level does its work in a few C calls:
    ``update`` splits a write list into nibble groups by binary search and decodes a
    node's refs with one ``struct`` unpack; a group of one write goes to ``one``, a
    loop down the key's path and back up that splices the changed, added or removed
    ref into the stored bytes and hashes the result from one more unpack.  The nodes
    and the stale list are exactly those of the plain recursive algorithm.
    """

    __slots__ = ("fetch", "vbytes", "batch", "new", "stale")

    def __init__(self, nodes: NodeRead, version: int) -> None:
        self.fetch = nodes.get
        self.vbytes = _U64.pack(version)
        self.batch = Batch(None)
        self.new, self.stale = self.batch.new, self.batch.stale

    def read(self, key: bytes) -> bytes:
        raw = self.new.get(key)
        if raw is None:
            raw = self.fetch(key)
            if raw is None:
                raise LookupError(f"missing tree node {key.hex()}")
        return raw

    def retire(self, key: bytes) -> None:
        """Drop a node replaced by this update (forget it if this update created it)."""
        if self.new.pop(key, None) is None:
            self.stale.append(key)

    def put_leaf(self, depth: int, kh: bytes, vh: bytes) -> bytes:
        raw = b"\x00" + kh + vh
        self.new[self.vbytes + node_path(depth, kh)] = raw
        return _sha256(raw).digest() + self.vbytes + b"\x00"

    def put_internal(self, path: bytes, children: dict[int, bytes]) -> bytes:
        raw, digest = encode_internal(children)
        self.new[self.vbytes + path] = raw
        return digest + self.vbytes + b"\x01"

    def build(self, depth: int, leaves: list[tuple[bytes, bytes]]) -> bytes | None:
        """Build the canonical subtree at ``depth`` for ``leaves`` (sorted ``(kh, vh)``)."""
        return self.build_some(depth, leaves) if leaves else None

    def build_some(self, depth: int, leaves: list[tuple[bytes, bytes]]) -> bytes:
        """``build`` for a non-empty ``leaves``, so a subtree is always returned."""
        if len(leaves) == 1:
            return self.put_leaf(depth, *leaves[0])
        children = {nib: self.build_some(depth + 1, group) for nib, group in _groups(leaves, depth)}
        return self.put_internal(node_path(depth, leaves[0][0]), children)

    def update(self, depth: int, entry: bytes | None, writes: list[tuple[bytes, bytes | None]]) -> bytes | None:
        """Apply ``writes`` (sorted by kh; ``None`` deletes) to the subtree ``entry`` at ``depth``."""
        if entry is None:
            return self.build(depth, [(kh, vh) for kh, vh in writes if vh is not None])
        kh0 = writes[0][0]
        path = node_path(depth, kh0)
        key = entry[32:40] + path
        raw = self.read(key)
        if raw[0] == LEAF:
            return self._update_leaf(depth, key, entry, raw[1:33], raw[33:65], writes)
        nibs = child_nibbles((raw[1] << 8) | raw[2])
        children = dict(zip(nibs, _refs(len(nibs)).unpack(raw)))
        changed = reshaped = False
        for nib, group in _groups(writes, depth):
            old = children.get(nib)
            new = self.one(depth + 1, old, *group[0]) if len(group) == 1 else self.update(depth + 1, old, group)
            if new != old:
                changed = True
                if new is None:
                    del children[nib]
                    reshaped = True
                else:
                    reshaped = reshaped or old is None
                    children[nib] = new
        if not changed:
            return entry
        self.retire(key)
        if reshaped or len(children) == 1:
            return self._collapse(depth, kh0, path, children)
        # Same children slots: the dict keeps the stored (ascending) order, the head is unchanged.
        refs = b"".join(children.values())
        self.new[self.vbytes + path] = raw[:3] + refs
        return _sha256(raw[:3] + b"".join(_hashes(len(nibs)).unpack(refs))).digest() + self.vbytes + b"\x01"

    def one(self, depth: int, entry: bytes | None, kh: bytes, vh: bytes | None) -> bytes | None:
        """Apply the single write ``(kh, vh)`` to the subtree ``entry`` at ``depth``: the same
        result as ``update`` with one write, by a loop down the key's path and back up."""
        top = entry
        passed: list[_Passed] = []
        while entry is not None:
            half = depth >> 1
            path = _BYTE[depth] + kh[:half] + _BYTE[kh[half] & 0xF0] if depth & 1 else _BYTE[depth] + kh[:half]
            key = entry[32:40] + path
            raw = self.read(key)
            if raw[0] == LEAF:
                return self._ascend(passed, self._update_leaf(depth, key, entry, raw[1:33], raw[33:65], [(kh, vh)]),
                                    kh, top)
            nib = kh[half] & 0x0F if depth & 1 else kh[half] >> 4
            bitmap = (raw[1] << 8) | raw[2]
            old = None
            if bitmap >> nib & 1:
                offset = 3 + REF_SIZE * (bitmap & ((1 << nib) - 1)).bit_count()
                old = raw[offset:offset + REF_SIZE]
            passed.append((depth, key, path, raw, nib, bitmap, old))
            entry, depth = old, depth + 1
        return self._ascend(passed, None if vh is None else self.put_leaf(depth, kh, vh), kh, top)

    def _ascend(self, passed: list[_Passed], child: bytes | None, kh: bytes, top: bytes | None) -> bytes | None:
        """Rewrite the internal nodes ``one`` passed, lowest first, around their new ``child``."""
        vbytes = self.vbytes
        for depth, key, path, raw, nib, bitmap, old in reversed(passed):
            if child == old:
                return top   # nothing below changed, so nothing above does
            self.retire(key)
            spliced = _splice(raw, bitmap, nib, old, child)
            if spliced is None:   # the node may empty or keep one leaf: ``_collapse`` decides
                children = dict(zip(child_nibbles(bitmap), _refs(bitmap.bit_count()).unpack(raw)))
                if child is None:
                    del children[nib]
                else:
                    children[nib] = child
                child = self._collapse(depth, kh, path, children)
                continue
            self.new[vbytes + path] = spliced
            hashes = _hashes((len(spliced) - 3) // REF_SIZE).unpack_from(spliced, 3)
            child = _sha256(spliced[:3] + b"".join(hashes)).digest() + vbytes + b"\x01"
        return child

    def _update_leaf(self, depth: int, key: bytes, entry: bytes, kh: bytes, vh: bytes,
                     writes: list[tuple[bytes, bytes | None]]) -> bytes | None:
        if len(writes) == 1:
            wkh, wvh = writes[0]
            if wkh == kh:
                if wvh == vh:
                    return entry
                self.retire(key)
                return None if wvh is None else self.put_leaf(depth, kh, wvh)
            if wvh is None:
                return entry
            self.retire(key)
            return self.build(depth, [(kh, vh), (wkh, wvh)] if kh < wkh else [(wkh, wvh), (kh, vh)])
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


def _splice(raw: bytes, bitmap: int, nib: int, old: bytes | None, new: bytes | None) -> bytes | None:
    """The internal node ``raw`` with child ``nib`` changed from ``old`` to ``new`` (encoded refs,
    ``None``: empty), or ``None`` when the result may need ``_collapse`` (at most one child left,
    or a lone child that became a leaf)."""
    offset = 3 + REF_SIZE * (bitmap & ((1 << nib) - 1)).bit_count()
    if old is None:
        return b"\x01" + _U16.pack(bitmap | (1 << nib)) + raw[3:offset] + new + raw[offset:] if new is not None else None
    if new is None:
        if bitmap.bit_count() < 3:
            return None
        return b"\x01" + _U16.pack(bitmap & ~(1 << nib)) + raw[3:offset] + raw[offset + REF_SIZE:]
    if bitmap & (bitmap - 1) or new[40] != LEAF:
        return raw[:offset] + new + raw[offset + REF_SIZE:]
    return None


_REFS: dict[int, struct.Struct] = {}
_HASHES: dict[int, struct.Struct] = {}


def _refs(count: int) -> struct.Struct:
    """The layout of an internal node with ``count`` children: its 41-byte refs."""
    found = _REFS.get(count)
    if found is None:
        found = _REFS[count] = struct.Struct("3x" + "41s" * count)
    return found


def _hashes(count: int) -> struct.Struct:
    """The layout of ``count`` joined 41-byte refs: the 32-byte hash of each."""
    found = _HASHES.get(count)
    if found is None:
        found = _HASHES[count] = struct.Struct("32s9x" * count)
    return found


def _groups(items: list[_Item], depth: int) -> Iterator[tuple[int, list[_Item]]]:
    """Yield ``(nibble, items)`` runs of kh-sorted ``items`` by their nibble at ``depth``.

    All items share the nibbles before ``depth``; a run ends where the next nibble's
    smallest key would sort, found by binary search (a one-tuple sorts before any
    ``(kh, vh)`` item whose kh it prefixes).
    """
    half = depth >> 1
    if len(items) == 1:
        byte = items[0][0][half]
        yield (byte & 0x0F if depth & 1 else byte >> 4), items
        return
    prefix = items[0][0][:half]
    high = items[0][0][half] & 0xF0 if depth & 1 else 0
    shift = 0 if depth & 1 else 4
    start, end = 0, len(items)
    while start < end:
        byte = items[start][0][half]
        nib = byte & 0x0F if depth & 1 else byte >> 4
        if nib == 15:
            stop = end
        else:
            stop = bisect_left(items, (prefix + _BYTE[high | ((nib + 1) << shift)],), start + 1, end)
        yield nib, items[start:stop]
        start = stop


_BYTE = [bytes([b]) for b in range(256)]


def hashed_writes(write_set: list[tuple[bytes, bytes | None]]) -> list[tuple[bytes, bytes | None]]:
    """Turn a state write set into ``(kh, value hash or None)`` pairs sorted by kh."""
    return sorted((key_hash(k), None if v is None else _sha256(v).digest()) for k, v in write_set)


def update(nodes: NodeRead, root: Ref | None, write_set: list[tuple[bytes, bytes | None]], version: int) -> Batch:
    """Apply a write set to the tree rooted at ``root``; nodes created get ``version``.

    Cost: O(writes x depth) node reads and hashes; depth is about log16(keys).
    A write set that changes nothing returns the same root and an empty batch.
    """
    job = _Update(nodes, version)
    writes = hashed_writes(write_set)
    if len(writes) == 1:
        job.batch.root = decode_ref(job.one(0, encode_ref(root) or None, *writes[0]) or b"")
    elif writes:
        job.batch.root = decode_ref(job.update(0, encode_ref(root) or None, writes) or b"")
    else:
        job.batch.root = root
    return job.batch


def build_hashed(leaves: list[tuple[bytes, bytes]], version: int) -> Batch:
    """Return the tree holding exactly ``leaves`` (``(kh, value hash)`` sorted by kh, distinct kh)."""
    job = _Update({}, version)   # a plain dict is an empty NodeRead
    job.batch.root = decode_ref(job.build(0, leaves) or b"")
    return job.batch
