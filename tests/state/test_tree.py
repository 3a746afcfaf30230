"""Property tests: the state tree's root, its proofs, and their failure on tampering."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings, strategies as st

from abci_app.chain.state import proofs, smt, smt_update
from abci_app.chain.state.proofs import ProofError


def sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def reference_root(items: dict[bytes, bytes]) -> bytes:
    """The root computed straight from the documented rules (docs/proofs.md), no storage."""
    def node(depth: int, leaves: list[tuple[str, bytes, bytes]]) -> bytes | None:
        if not leaves:
            return None
        if len(leaves) == 1:
            _, kh, vh = leaves[0]
            return sha(b"\x00" + kh + vh)
        bitmap, hashes = 0, []
        for n in range(16):
            child = node(depth + 1, [leaf for leaf in leaves if int(leaf[0][depth], 16) == n])
            if child is not None:
                bitmap |= 1 << n
                hashes.append(child)
        return sha(b"\x01" + bitmap.to_bytes(2, "big") + b"".join(hashes))

    leaves = [(sha(k).hex(), sha(k), sha(v)) for k, v in items.items()]
    return node(0, leaves) or bytes(32)


class MemoryTree:
    """The tree over an in-memory node dict, applying each batch like the store does."""

    def __init__(self) -> None:
        self.nodes: dict[bytes, bytes] = {}
        self.root = None
        self.version = 0

    def apply(self, writes: dict[bytes, bytes | None]) -> smt.Batch:
        self.version += 1
        batch = smt_update.update(self.nodes, self.root, sorted(writes.items()), self.version)
        for key in batch.stale:
            assert key in self.nodes
        self.nodes.update(batch.new)
        self.root = batch.root
        return batch

    @property
    def root_hash(self) -> bytes:
        return smt.EMPTY_ROOT if self.root is None else self.root.hash


keys = st.binary(min_size=0, max_size=6)
values = st.binary(min_size=0, max_size=8)
blocks = st.lists(st.dictionaries(keys, st.one_of(st.none(), values), max_size=30), min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(blocks)
def test_root_equals_the_reference_computation_after_random_writes_and_deletes(block_list):
    tree, model = MemoryTree(), {}
    for writes in block_list:
        tree.apply(writes)
        for k, v in writes.items():
            if v is None:
                model.pop(k, None)
            else:
                model[k] = v
        assert tree.root_hash == reference_root(model)


@settings(max_examples=100, deadline=None)
@given(blocks, st.lists(keys, max_size=10))
def test_every_inclusion_and_absence_proof_verifies(block_list, probes):
    tree, model = MemoryTree(), {}
    for writes in block_list:
        tree.apply(writes)
        model.update(writes)
    model = {k: v for k, v in model.items() if v is not None}
    for key in list(model) + probes:
        proof = proofs.prove(tree.nodes, tree.root, key)
        proofs.verify(tree.root_hash, key, model.get(key), proofs.decode(proof.encode()))


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(keys, values, min_size=1, max_size=40), st.data())
def test_a_tampered_proof_or_value_fails(items, data):
    tree = MemoryTree()
    tree.apply(items)
    key = data.draw(st.sampled_from(sorted(items)))
    encoded = bytearray(proofs.prove(tree.nodes, tree.root, key).encode())
    with pytest.raises(ProofError):
        proofs.verify(tree.root_hash, key, items[key] + b"x", bytes(encoded))
    with pytest.raises(ProofError):
        proofs.verify(tree.root_hash, key, None, bytes(encoded))
    position = data.draw(st.integers(0, len(encoded) - 1))
    encoded[position] ^= data.draw(st.integers(1, 255))
    with pytest.raises(ProofError):
        proofs.verify(tree.root_hash, key, items[key], bytes(encoded))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(keys, values, max_size=40), keys)
def test_an_absence_proof_cannot_be_used_to_claim_a_value(items, key):
    items.pop(key, None)
    tree = MemoryTree()
    tree.apply(items)
    proof = proofs.prove(tree.nodes, tree.root, key)
    proofs.verify(tree.root_hash, key, None, proof)
    with pytest.raises(ProofError):
        proofs.verify(tree.root_hash, key, b"", proof)


def test_the_empty_tree_has_the_zero_root_and_proves_absence():
    tree = MemoryTree()
    assert tree.apply({b"a": None}).root is None
    assert tree.root_hash == bytes(32)
    proofs.verify(bytes(32), b"a", None, proofs.prove(tree.nodes, None, b"a"))


def test_writes_that_change_nothing_leave_the_root_and_create_no_nodes():
    tree = MemoryTree()
    tree.apply({b"a": b"1", b"b": b"2", b"c": b"3"})
    before = tree.root
    batch = tree.apply({b"a": b"1", b"zz": None})
    assert batch.root == before and not batch.new and not batch.stale
    assert tree.apply({}).root == before


def test_an_old_root_stays_provable_while_its_nodes_are_kept():
    tree = MemoryTree()
    tree.apply({b"k%d" % i: b"v1" for i in range(50)})
    old_root, old_hash = tree.root, tree.root_hash
    tree.apply({b"k7": b"v2", b"k8": None})
    proofs.verify(old_hash, b"k7", b"v1", proofs.prove(tree.nodes, old_root, b"k7"))
    proofs.verify(tree.root_hash, b"k7", b"v2", proofs.prove(tree.nodes, tree.root, b"k7"))
    proofs.verify(tree.root_hash, b"k8", None, proofs.prove(tree.nodes, tree.root, b"k8"))


def test_a_proof_against_another_root_fails_with_a_reason():
    tree = MemoryTree()
    tree.apply({b"a": b"1", b"b": b"2"})
    proof = proofs.prove(tree.nodes, tree.root, b"a")
    with pytest.raises(ProofError, match="trusted root"):
        proofs.verify(sha(b"other"), b"a", b"1", proof)


def reachable_nodes(nodes: dict[bytes, bytes], root: smt.Ref | None) -> set[bytes]:
    """The node keys reachable from ``root``, checking each leaf lies on its own path."""
    found: set[bytes] = set()

    def walk(entry: bytes, depth: int, kh: bytes) -> None:
        key = entry[32:40] + smt.node_path(depth, kh)
        found.add(key)
        raw = nodes[key]
        if raw[0] == smt.LEAF:
            assert smt.node_path(depth, raw[1:33]) == smt.node_path(depth, kh)
            return
        for nib, child in smt.decode_internal(raw).items():
            walk(child, depth + 1, smt.with_nibble(kh, depth, nib).ljust(32, b"\x00"))

    if root is not None:
        walk(smt.encode_ref(root), 0, bytes(32))
    return found


# Small key space, blocks of one write and of many: inserts, deletes and overwrites that
# grow, shrink and lift nodes on every path the update takes (one write, many writes).
dense_blocks = st.lists(st.one_of(st.dictionaries(st.binary(max_size=2), st.one_of(st.none(), values), max_size=1),
                                  st.dictionaries(st.binary(max_size=2), st.one_of(st.none(), values), max_size=60)),
                        min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(dense_blocks)
def test_the_live_nodes_are_exactly_those_reachable_from_the_root(block_list):
    tree, live, model = MemoryTree(), set(), {}
    for writes in block_list:
        batch = tree.apply(writes)
        assert not set(batch.stale) & set(batch.new)
        live = (live - set(batch.stale)) | set(batch.new)
        model.update(writes)
        assert live == reachable_nodes(tree.nodes, tree.root)
        assert tree.root_hash == reference_root({k: v for k, v in model.items() if v is not None})
