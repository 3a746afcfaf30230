"""A restoring node against a peer's malformed snapshots, in-process on real LMDB.

Each bad shape the fault node advertises (``abci_app.adapter.storage.snapshot_faults``: hash-consistent
metadata, true app hash, bad content) is refused with REJECT or REJECT_SNAPSHOT, never an
exception; the store is left empty and not marked restoring, and an honest snapshot then
restores on the same store.  Plus the bounds of ``decode_chunk``, the caps on chunks and
entries, the interrupted restore, the incremental tree, and the block time after a restore.
"""

from __future__ import annotations

import pytest

from abci_app.adapter.app import LedgerApp
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import BlockTimeUnknown
from abci_app.adapter.storage import restore
from abci_app.chain.state import smt, smt_update
from abci_app.adapter.storage.restore import Limits, Offered, Restorer
from abci_app.adapter.storage.snapshot_faults import BAD_CHUNKS, SHAPES, BadSnapshotStore
from abci_app.adapter.storage.snapshots import (MAX_CHUNK_WIRE_BYTES, MAX_VALUE_BYTES, Metadata, SnapshotFormatError,
                                      SnapshotStore, decode_chunk, snapshot_hash)
from abci_app.adapter.storage.store import Store
from tests.state.test_snapshots import CHAIN, all_rows, many_keys, offered, restore_all, source_store
from tests.support.chain import TestChain, key


def entry(k: bytes, v: bytes) -> bytes:
    return len(k).to_bytes(4, "big") + k + len(v).to_bytes(4, "big") + v


@pytest.mark.parametrize("chunk, reason", [
    (entry(b"", b"v"), "cannot be stored"),
    (entry(b"k" * 512, b"v"), "above the limit of 511"),
    (entry(b"\x00" * 251, b"v"), "cannot be stored"),                  # its escaped history key is too long
    (entry(b"k", b"v" * (MAX_VALUE_BYTES + 1)), f"above the limit of {MAX_VALUE_BYTES}"),
    (b"\x00\x00\x00\x03abc\x00\x00", "inside a length prefix"),
    (b"\x00\x00\x00\x01k\xff\xff\xff\xff", "above the limit"),
    (b"", "empty chunk"),
], ids=["empty key", "512-byte key", "251 zero bytes", "oversized value", "cut prefix", "huge length", "empty"])
def test_decode_chunk_refuses_every_entry_lmdb_or_the_bounds_cannot_take(chunk, reason):
    with pytest.raises(SnapshotFormatError, match=reason):
        decode_chunk(chunk)


def test_decode_chunk_refuses_a_chunk_larger_than_cometbft_can_carry():
    with pytest.raises(SnapshotFormatError, match="above"):
        decode_chunk(entry(b"k", b"v" * 16) * (MAX_CHUNK_WIRE_BYTES // 24 + 1))


def test_the_longest_storable_keys_and_values_decode():
    rows = [(b"\x01" * 501, b""), (b"\x02" + b"\x00" * 249, b"v" * MAX_VALUE_BYTES)]
    assert decode_chunk(b"".join(entry(k, v) for k, v in rows)) == rows


@pytest.fixture
def fault_node(tmp_path):
    """A source store of 8 heights, its honest snapshot at 8 and the fault's variants at 7..3."""
    source, _ = source_store(tmp_path / "src", [many_keys(40, b"%d" % h) for h in range(8)])
    bad = BadSnapshotStore(tmp_path / "snaps", chunk_bytes=300)
    bad.build(source, 8, CHAIN, 0)
    return source, bad


def trusted_hash(source: Store, height: int) -> bytes:
    txn = source.read_txn()
    try:
        return source.root_at(txn, height).hash
    finally:
        txn.abort()


def test_the_fault_node_lists_one_variant_per_shape_each_at_its_own_height(fault_node):
    source, bad = fault_node
    listed = bad.list()
    assert [s.height for s in listed] == [7, 6, 5, 4, 3]
    assert bad.load_chunk(8, 1, 0) == SnapshotStore(bad.dir).load_chunk(8, 1, 0)   # the honest one, still served
    for info in listed:
        meta = Metadata.decode(info.metadata)
        assert meta.app_hash == trusted_hash(source, info.height) and snapshot_hash(info.metadata) == info.hash


@pytest.mark.parametrize("shape", SHAPES)
def test_each_bad_shape_is_rejected_leaves_an_empty_store_and_an_honest_snapshot_then_restores(
        tmp_path, fault_node, shape):
    source, bad = fault_node
    info = bad.list()[SHAPES.index(shape)]
    target = Store(tmp_path / "dst", map_size=1 << 26)
    restorer = Restorer(target, CHAIN)
    answer = restorer.offer(offered(info), trusted_hash(source, info.height))
    if shape == "too_many_chunks":
        assert answer == restore.REJECT
    else:
        assert answer == restore.ACCEPT
        chunk = bad.load_chunk(info.height, 1, 0)
        assert chunk == BAD_CHUNKS[shape]
        assert restorer.apply(0, chunk, "liar").result == restore.REJECT_SNAPSHOT
    assert target.committed().height == 0 and all_rows(target) == [] and not target.restoring()

    honest = SnapshotStore(tmp_path / "honest", chunk_bytes=300)
    good = honest.build(source, 3, CHAIN, 0)
    assert restore_all(target, honest, good, trusted_hash(source, 3)) == [restore.ACCEPT] * (good.chunks + 1)
    assert all_rows(target) == all_rows(source, 3)


def lying_offer(info, **changes) -> Offered:
    meta = Metadata.decode(info.metadata)
    fields = {f: getattr(meta, f) for f in Metadata.__slots__}
    raw = Metadata(**{**fields, **changes}).encode()
    return Offered(info.height, info.format, len(changes.get("chunks", meta.chunks)), snapshot_hash(raw), raw)


def test_offers_above_the_chunk_or_entry_caps_or_with_fewer_entries_than_chunks_are_refused(tmp_path):
    source, app_hash = source_store(tmp_path / "src", [many_keys(30)])
    info = SnapshotStore(tmp_path / "snaps", chunk_bytes=100).build(source, 1, CHAIN, 0)
    target = Store(tmp_path / "dst", map_size=1 << 26)
    assert Restorer(target, CHAIN, Limits(max_chunks=info.chunks - 1)).offer(offered(info), app_hash) == restore.REJECT
    assert Restorer(target, CHAIN, Limits(max_entries=29)).offer(offered(info), app_hash) == restore.REJECT
    assert Restorer(target, CHAIN).offer(lying_offer(info, entries=info.chunks - 1), app_hash) == restore.REJECT
    assert Restorer(target, CHAIN, Limits(max_chunks=info.chunks, max_entries=30)).offer(
        offered(info), app_hash) == restore.ACCEPT


@pytest.mark.parametrize("metadata", [b"[" * 100_000 + b"]" * 100_000, b'{"height": 1}', b"\xff" * 64, b""],
                         ids=["deeply nested", "fields missing", "not utf-8", "empty"])
def test_metadata_a_peer_crafted_is_refused_never_raised(tmp_path, metadata):
    offer = Offered(1, 1, 1, snapshot_hash(metadata), metadata)
    assert Restorer(Store(tmp_path / "dst", map_size=1 << 26), CHAIN).offer(offer, bytes(32)) == restore.REJECT


def test_a_node_without_a_genesis_chain_id_takes_no_snapshot(tmp_path):
    source, app_hash = source_store(tmp_path / "src", [many_keys(5)])
    info = SnapshotStore(tmp_path / "snaps").build(source, 1, CHAIN, 0)
    assert Restorer(Store(tmp_path / "dst", map_size=1 << 26), "").offer(offered(info), app_hash) == restore.REJECT


def snapshot_of(tmp_path, keys: int, chunk_bytes: int = 100):
    """Return ``(snapshot store, its snapshot of height 1, app hash, empty target store)``."""
    source, app_hash = source_store(tmp_path / "src", [many_keys(keys)])
    snaps = SnapshotStore(tmp_path / "snaps", chunk_bytes=chunk_bytes)
    return snaps, snaps.build(source, 1, CHAIN, 0), app_hash, Store(tmp_path / "dst", map_size=1 << 26)


def test_more_entries_than_the_metadata_lists_condemn_the_snapshot_at_that_chunk(tmp_path):
    snaps, info, app_hash, target = snapshot_of(tmp_path, 30)
    restorer = Restorer(target, CHAIN)
    assert restorer.offer(lying_offer(info, entries=info.chunks), app_hash) == restore.ACCEPT
    results = []
    while not results or results[-1] == restore.ACCEPT:
        results.append(restorer.apply(len(results), snaps.load_chunk(1, 1, len(results)), "p").result)
    assert results[-1] == restore.REJECT_SNAPSHOT and len(results) < info.chunks   # before the last chunk
    assert all_rows(target) == [] and not target.restoring()


def test_a_store_failure_while_applying_rejects_the_snapshot_instead_of_raising(tmp_path, monkeypatch):
    snaps, info, app_hash, target = snapshot_of(tmp_path, 10, 1 << 20)
    restorer = Restorer(target, CHAIN)
    assert restorer.offer(offered(info), app_hash) == restore.ACCEPT
    monkeypatch.setattr(target, "restore_chunk", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    assert restorer.apply(0, snaps.load_chunk(1, 1, 0), "p").result == restore.REJECT_SNAPSHOT


def test_an_interrupted_restore_is_not_final_and_is_emptied_at_the_next_start(tmp_path):
    snaps, info, app_hash, target = snapshot_of(tmp_path, 60)
    restorer = Restorer(target, CHAIN)
    assert restorer.offer(offered(info), app_hash) == restore.ACCEPT
    assert restorer.apply(0, snaps.load_chunk(1, 1, 0), "p").result == restore.ACCEPT
    assert target.restoring() and target.committed().height == 0 and all_rows(target) != []
    Restorer(target, CHAIN)   # the node restarts
    assert not target.restoring() and all_rows(target) == []


def stored_nodes(store: Store) -> list[tuple[bytes, bytes]]:
    txn = store.read_txn()
    try:
        return [(bytes(k), bytes(v)) for k, v in txn.cursor(db=store.db(b"nodes"))]
    finally:
        txn.abort()


def test_the_tree_built_chunk_by_chunk_is_exactly_the_canonical_tree_with_no_orphan_nodes(tmp_path):
    source, app_hash = source_store(tmp_path / "src", [many_keys(500)])
    snaps = SnapshotStore(tmp_path / "snaps", chunk_bytes=120)
    info = snaps.build(source, 1, CHAIN, 0)
    target = Store(tmp_path / "dst", map_size=1 << 26)
    assert restore_all(target, snaps, info, app_hash)[-1] == restore.ACCEPT and info.chunks > 50
    rows = all_rows(target)
    canonical = smt_update.build_hashed(smt_update.hashed_writes(rows), 1)
    assert canonical.root_hash == app_hash and stored_nodes(target) == sorted(canonical.new.items())


def test_after_a_restore_checktx_waits_for_the_first_block_time(tmp_path):
    alice, bob = key(41), key(42)
    chain = TestChain(tmp_path / "src", balances={alice: 1_000})
    chain.block(chain.tx(alice, Transfer(bob.address, 5, "")))
    snaps = SnapshotStore(tmp_path / "snaps")
    info = snaps.build(chain.store, chain.height, chain.chain_id, chain.time)
    app = LedgerApp(Store(tmp_path / "dst", map_size=1 << 26), genesis_chain_id=chain.chain_id)
    assert app.offer_snapshot(offered(info), chain.app.committed.app_hash) == restore.ACCEPT
    assert app.apply_snapshot_chunk(0, snaps.load_chunk(info.height, 1, 0), "p").result == restore.ACCEPT
    tx = chain.tx(alice, Transfer(bob.address, 7, ""))
    refused = app.check_tx(tx)
    assert (refused.codespace, refused.code) == (BlockTimeUnknown.codespace, BlockTimeUnknown.code)
    assert app.committed.time == 0 and app.chain_id == chain.chain_id
    app.finalize_block(info.height + 1, chain.time + 5, b"\x01" * 20, [])
    app.commit()
    assert app.check_tx(tx).ok and app.committed.time == chain.time + 5
    chain.close()
