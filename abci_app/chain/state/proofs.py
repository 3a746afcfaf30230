"""Inclusion and absence proofs for the state tree (``abci_app.chain.state.smt``).

A proof shows what the tree holds on the path of ``kh = SHA-256(key)``, from the
root down to a *terminal*: either a leaf (the key's own leaf: inclusion; another
key's leaf sharing the path so far: absence) or an empty child slot (absence).

Encoding (proof op ``samen:smt``, data field; see ``docs/proofs.md``)::

    0x01                      format version
    u8  depth                 number of levels D (0..64)
    u8  terminal              0 = empty slot, 1 = leaf
    [kh'(32) || vh'(32)]      only for a leaf terminal
    D x (u16be(bitmap) || 32-byte hashes)   levels 0..D-1, root first:
                              the siblings of the path at that level
                              (bitmap never includes the path's own nibble)

Verification recomputes the root from the bottom up and compares it with the
trusted root; ``verify`` raises ``ProofError`` with the reason on any mismatch.
This module is pure (hashlib and struct only) so that clients can import it.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from typing import Any

from abci_app.chain.state.smt import (EMPTY_ROOT, LEAF, NodeRead, Ref, decode_internal, decode_ref, internal_hash, key_hash,
                                leaf_hash, nibble, node_key)

PROOF_OP_TYPE = "samen:smt"
FORMAT = 1
MAX_DEPTH = 64
_U16 = struct.Struct(">H")


class ProofError(ValueError):
    """A proof is malformed or does not prove the claimed value under the given root."""


@dataclass(frozen=True, slots=True)
class Proof:
    levels: tuple[tuple[int, tuple[bytes, ...]], ...]   # (sibling bitmap, sibling hashes), root first
    leaf: tuple[bytes, bytes] | None                   # (kh', vh') of the terminal leaf, or None: empty

    def encode(self) -> bytes:
        out = [bytes([FORMAT, len(self.levels), 0 if self.leaf is None else 1])]
        if self.leaf is not None:
            out.append(self.leaf[0] + self.leaf[1])
        for bitmap, hashes in self.levels:
            out.append(_U16.pack(bitmap))
            out.extend(hashes)
        return b"".join(out)


def decode(data: bytes) -> Proof:
    """Parse proof bytes; raise ``ProofError`` if they are not well formed."""
    if len(data) < 3 or data[0] != FORMAT:
        raise ProofError("proof: unknown format or truncated header")
    depth, terminal, pos = data[1], data[2], 3
    if depth > MAX_DEPTH or terminal not in (0, 1):
        raise ProofError("proof: depth or terminal out of range")
    leaf = None
    if terminal == 1:
        if len(data) < pos + 64:
            raise ProofError("proof: truncated leaf")
        leaf, pos = (data[pos:pos + 32], data[pos + 32:pos + 64]), pos + 64
    levels = []
    for _ in range(depth):
        if len(data) < pos + 2:
            raise ProofError("proof: truncated level")
        bitmap = _U16.unpack(data[pos:pos + 2])[0]
        count, pos = bin(bitmap).count("1"), pos + 2
        if len(data) < pos + 32 * count:
            raise ProofError("proof: truncated sibling hashes")
        levels.append((bitmap, tuple(data[pos + 32 * i:pos + 32 * (i + 1)] for i in range(count))))
        pos += 32 * count
    if pos != len(data):
        raise ProofError("proof: trailing bytes")
    return Proof(tuple(levels), leaf)


def prove(nodes: NodeRead, root: Ref | None, key: bytes) -> Proof:
    """Walk the tree at ``root`` along ``SHA-256(key)`` and return the proof for ``key``."""
    levels: list[Any] = []
    kh, ref, depth = key_hash(key), root, 0
    while ref is not None:
        raw = nodes.get(node_key(depth, kh, ref.version))
        if raw is None:
            raise LookupError(f"missing tree node at depth {depth}, version {ref.version}")
        if raw[0] == LEAF:
            return Proof(tuple(levels), (bytes(raw[1:33]), bytes(raw[33:65])))
        children = decode_internal(raw)
        nib = nibble(kh, depth)
        entry = children.pop(nib, None)
        ref = decode_ref(entry) if entry is not None else None
        bitmap = sum(1 << n for n in children)
        levels.append((bitmap, tuple(children[n][:32] for n in sorted(children))))
        depth += 1
    return Proof(tuple(levels), None)


def root_from(proof: Proof, kh: bytes) -> bytes:
    """Recompute the root that ``proof`` implies for the path of ``kh``."""
    depth = len(proof.levels)
    current = None if proof.leaf is None else leaf_hash(*proof.leaf)
    if proof.leaf is not None and any(nibble(proof.leaf[0], d) != nibble(kh, d) for d in range(depth)):
        raise ProofError("proof: terminal leaf is not on the key's path")
    for d in range(depth - 1, -1, -1):
        bitmap, hashes = proof.levels[d]
        nib = nibble(kh, d)
        if bitmap & (1 << nib):
            raise ProofError(f"proof: level {d} lists the path's own slot as a sibling")
        slots = dict(zip((n for n in range(16) if bitmap & (1 << n)), hashes))
        if current is not None:
            slots[nib] = current
        elif not slots:
            raise ProofError(f"proof: level {d} has no children")
        full = 0
        for n in slots:
            full |= 1 << n
        current = internal_hash(full, [slots[n] for n in sorted(slots)])
    return EMPTY_ROOT if current is None else current


def verify(root: bytes, key: bytes, value: bytes | None, proof: Proof | bytes) -> None:
    """Check that under ``root`` the state maps ``key`` to ``value`` (``None``: absent).

    Raises ``ProofError`` naming what failed; returns ``None`` when the proof holds.
    """
    if isinstance(proof, (bytes, bytearray, memoryview)):
        proof = decode(bytes(proof))
    kh = key_hash(key)
    if value is None:
        if proof.leaf is not None and proof.leaf[0] == kh:
            raise ProofError("proof shows the key present, but absence was claimed")
    else:
        if proof.leaf is None or proof.leaf[0] != kh:
            raise ProofError("proof shows the key absent, but a value was claimed")
        if proof.leaf[1] != hashlib.sha256(value).digest():
            raise ProofError("value does not match the value hash in the proof")
    if root_from(proof, kh) != root:
        raise ProofError("proof does not lead to the trusted root (app hash)")
