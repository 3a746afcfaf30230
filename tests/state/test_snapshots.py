"""State-sync snapshots on real LMDB: chunking, byte-identical builds, verified restore, bad chunks rejected."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from abci_app.adapter.storage import restore
from abci_app.adapter.storage.restore import Offered, Restorer
from abci_app.adapter.storage.snapshots import Metadata, SnapshotFormatError, SnapshotStore, decode_chunk, encode_chunks
from abci_app.adapter.storage.store import Store
from tests.state.test_versions import StoreDriver, snapshot_rows

CHAIN = "c"


def source_store(path, blocks: list[dict[bytes, bytes | None]]) -> tuple[Store, bytes]:
    store = Store(path, map_size=1 << 26)
    driver, app_hash = StoreDriver(store), b""
    for writes in blocks:
        app_hash = driver.commit(writes)
    return store, app_hash


def offered(info) -> Offered:
    return Offered(info.height, info.format, info.chunks, info.hash, info.metadata)


def restore_all(target: Store, snaps: SnapshotStore, info, app_hash: bytes) -> list[str]:
    """Offer the snapshot and apply every chunk; return the answers' results."""
    restorer = Restorer(target, CHAIN)
    results = [restorer.offer(offered(info), app_hash)]
    for index in range(info.chunks):
        results.append(restorer.apply(index, snaps.load_chunk(info.height, info.format, index), "peer").result)
    return results


def all_rows(store: Store, height: int | None = None) -> list[tuple[bytes, bytes]]:
    txn = store.read_txn()
    try:
        state = store.state_at(txn, height) if height else store.snapshot(txn)
        return snapshot_rows(state)
    finally:
        txn.abort()


def many_keys(n: int, height_tag: bytes = b"") -> dict[bytes, bytes]:
    return {b"k/%05d" % i: b"value-%d" % i + height_tag for i in range(n)}


def test_chunks_decode_back_to_the_entries_and_respect_the_size_bound():
    entries = [(b"key%03d" % i, b"v" * (i % 50)) for i in range(300)]
    chunks = list(encode_chunks(entries, 500))
    assert len(chunks) > 5
    assert all(len(c) <= 500 for c in chunks)
    assert [e for c in chunks for e in decode_chunk(c)] == entries


def test_an_entry_larger_than_the_chunk_size_gets_a_chunk_of_its_own():
    entries = [(b"a", b"x"), (b"b", b"y" * 1000), (b"c", b"z")]
    chunks = list(encode_chunks(entries, 100))
    assert [decode_chunk(c) for c in chunks] == [[entries[0]], [entries[1]], [entries[2]]]


@pytest.mark.parametrize("bad", [b"\x00\x00", b"\x00\x00\x00\x05ab", b"", b"\x00\x00\x00\x01a\x00\x00\x00\x09v"])
def test_a_malformed_chunk_is_refused(bad):
    with pytest.raises(SnapshotFormatError):
        decode_chunk(bad)


def test_metadata_must_be_canonical():
    meta = Metadata(5, CHAIN, 7, bytes(32), 1, (bytes(32),))
    assert Metadata.decode(meta.encode()) == meta
    with pytest.raises(SnapshotFormatError):
        Metadata.decode(meta.encode().replace(b",", b", "))


def test_two_nodes_build_byte_identical_snapshots_of_the_same_height(tmp_path):
    blocks = [many_keys(200), {b"k/00003": None, b"z": b"1"}, many_keys(50, b"!")]
    first, _ = source_store(tmp_path / "a", blocks)
    second, _ = source_store(tmp_path / "b", blocks)
    one = SnapshotStore(tmp_path / "sa", chunk_bytes=700).build(first, 2, CHAIN, 9)
    two = SnapshotStore(tmp_path / "sb", chunk_bytes=700).build(second, 2, CHAIN, 9)
    assert one == two and one.chunks > 3
    for index in range(one.chunks):
        assert (tmp_path / "sa" / f"{2:020d}" / f"chunk-{index:06d}").read_bytes() == \
               (tmp_path / "sb" / f"{2:020d}" / f"chunk-{index:06d}").read_bytes()


def test_a_snapshot_of_a_past_height_restores_exactly_that_state(tmp_path):
    source, _ = source_store(tmp_path / "src", [many_keys(300), {b"k/00010": None, b"new": b"n"}, many_keys(20, b"+")])
    snaps = SnapshotStore(tmp_path / "snaps", chunk_bytes=1000)
    info = snaps.build(source, 2, CHAIN, 1234)
    app_hash_2 = Metadata.decode(info.metadata).app_hash
    target = Store(tmp_path / "dst", map_size=1 << 26)
    assert restore_all(target, snaps, info, app_hash_2) == [restore.ACCEPT] * (info.chunks + 1)
    assert all_rows(target) == all_rows(source, 2)     # zero differing keys
    committed = target.committed()
    # the snapshot's time (1234) is outside the app hash: not stored; the next block brings one
    assert (committed.height, committed.app_hash, committed.chain_id, committed.time) == (2, app_hash_2, CHAIN, 0)


def test_a_restored_store_continues_with_the_same_app_hashes_as_the_source(tmp_path):
    source, _ = source_store(tmp_path / "src", [many_keys(100), {b"a": b"1"}])
    snaps = SnapshotStore(tmp_path / "snaps", chunk_bytes=400)
    info = snaps.build(source, 2, CHAIN, 0)
    target = Store(tmp_path / "dst", map_size=1 << 26)
    restore_all(target, snaps, info, source.committed().app_hash)
    later = [{b"k/00001": None, b"b": b"2"}, many_keys(30, b"#")]
    source_driver, target_driver = StoreDriver(source), StoreDriver(target)
    for writes in later:
        assert source_driver.commit(writes) == target_driver.commit(writes)
    assert all_rows(target) == all_rows(source)


def test_heights_before_the_snapshot_are_not_readable_on_a_restored_store(tmp_path):
    source, _ = source_store(tmp_path / "src", [many_keys(10), {b"a": b"1"}, {b"b": b"2"}])
    snaps = SnapshotStore(tmp_path / "snaps")
    info = snaps.build(source, 3, CHAIN, 0)
    target = Store(tmp_path / "dst", map_size=1 << 26)
    restore_all(target, snaps, info, source.committed().app_hash)
    StoreDriver(target).commit({b"c": b"3"})
    txn = target.read_txn()
    try:
        assert target.committed(txn).oldest == 3
        with pytest.raises(Exception, match="not available"):
            target.state_at(txn, 2)
    finally:
        txn.abort()


def test_a_tampered_chunk_is_refetched_and_its_sender_rejected_then_the_good_copy_restores(tmp_path):
    source, app_hash = source_store(tmp_path / "src", [many_keys(200)])
    snaps = SnapshotStore(tmp_path / "snaps", chunk_bytes=800)
    bad = SnapshotStore(tmp_path / "snaps", chunk_bytes=800, corrupt_served=True)
    info = snaps.build(source, 1, CHAIN, 0)
    target = Store(tmp_path / "dst", map_size=1 << 26)
    restorer = Restorer(target, CHAIN)
    assert restorer.offer(offered(info), app_hash) == restore.ACCEPT
    assert restorer.apply(0, snaps.load_chunk(1, 1, 0), "honest").result == restore.ACCEPT
    answer = restorer.apply(1, bad.load_chunk(1, 1, 1), "liar")
    assert answer == restore.ChunkAnswer(restore.RETRY, (1,), ("liar",))
    for index in range(1, info.chunks):
        assert restorer.apply(index, snaps.load_chunk(1, 1, index), "honest").result == restore.ACCEPT
    assert all_rows(target) == all_rows(source) and target.committed().app_hash == app_hash


def test_a_snapshot_whose_state_does_not_hash_to_the_trusted_app_hash_is_rejected_and_leaves_nothing(tmp_path):
    honest, app_hash = source_store(tmp_path / "src", [many_keys(50)])
    forged, _ = source_store(tmp_path / "forged", [{**many_keys(50), b"k/00007": b"stolen"}])
    snaps = SnapshotStore(tmp_path / "snaps")
    info = snaps.build(forged, 1, CHAIN, 0)
    meta = Metadata.decode(info.metadata)
    lying = Metadata(meta.height, meta.chain_id, meta.time, app_hash, meta.entries, meta.chunks).encode()
    lying_info = Offered(1, 1, info.chunks, hashlib.sha256(lying).digest(), lying)
    target = Store(tmp_path / "dst", map_size=1 << 26)
    restorer = Restorer(target, CHAIN)
    assert restorer.offer(lying_info, app_hash) == restore.ACCEPT
    results = [restorer.apply(i, snaps.load_chunk(1, 1, i), "p").result for i in range(info.chunks)]
    assert results[-1] == restore.REJECT_SNAPSHOT
    assert target.committed().height == 0 and all_rows(target) == []
    assert honest.committed().app_hash == app_hash


@pytest.mark.parametrize("change, expected", [
    ("format", restore.REJECT_FORMAT), ("hash", restore.REJECT), ("app_hash", restore.REJECT),
    ("chunks", restore.REJECT), ("height", restore.REJECT), ("chain", restore.REJECT)])
def test_an_inconsistent_offer_is_refused_before_any_chunk(tmp_path, change, expected):
    source, app_hash = source_store(tmp_path / "src", [many_keys(20)])
    info = SnapshotStore(tmp_path / "snaps").build(source, 1, CHAIN, 0)
    offer = offered(info)
    fields = {"format": dict(format=2), "hash": dict(hash=bytes(32)), "chunks": dict(chunks=info.chunks + 1),
              "height": dict(height=2)}.get(change, {})
    offer = Offered(**{**{f: getattr(offer, f) for f in offer.__slots__}, **fields})
    chain = "other" if change == "chain" else CHAIN
    trusted = bytes(32) if change == "app_hash" else app_hash
    assert Restorer(Store(tmp_path / "dst", map_size=1 << 26), chain).offer(offer, trusted) == expected


def test_a_node_that_already_has_state_refuses_snapshots(tmp_path):
    source, app_hash = source_store(tmp_path / "src", [many_keys(5)])
    info = SnapshotStore(tmp_path / "snaps").build(source, 1, CHAIN, 0)
    assert Restorer(source, CHAIN).offer(offered(info), app_hash) == restore.ABORT


def test_only_the_most_recent_snapshots_are_kept_and_listed_newest_first(tmp_path):
    source, _ = source_store(tmp_path / "src", [{b"a": b"%d" % i} for i in range(5)])
    snaps = SnapshotStore(tmp_path / "snaps", interval=2, keep_recent=2)
    for height in (1, 2, 3, 4, 5):
        snaps.build(source, height, CHAIN, 0)
    assert [s.height for s in snaps.list()] == [5, 4]
    assert snaps.load_chunk(3, 1, 0) == b""


def test_snapshots_are_built_in_the_background_only_at_multiples_of_the_interval(tmp_path):
    source, _ = source_store(tmp_path / "src", [{b"a": b"%d" % i} for i in range(4)])
    snaps = SnapshotStore(tmp_path / "snaps", interval=2)
    started = []
    for height in (3, 4):
        started.append(snaps.after_commit(source, height, CHAIN, 0))
        snaps.wait(30)
    assert started == [False, True]
    assert [s.height for s in snaps.list()] == [4]


entries_strategy = st.dictionaries(st.binary(min_size=1, max_size=6), st.binary(max_size=40), min_size=1, max_size=60)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries_strategy, st.integers(min_value=8, max_value=300), st.data())
def test_any_state_restores_with_zero_differing_keys_and_any_flipped_byte_is_caught(
        tmp_path_factory, state, chunk_bytes, data):
    root = tmp_path_factory.mktemp("snap")
    source, app_hash = source_store(root / "src", [state])
    snaps = SnapshotStore(root / "snaps", chunk_bytes=chunk_bytes)
    info = snaps.build(source, 1, CHAIN, 0)
    target = Store(root / "dst", map_size=1 << 24)
    restorer = Restorer(target, CHAIN)
    assert restorer.offer(offered(info), app_hash) == restore.ACCEPT
    victim = data.draw(st.integers(min_value=0, max_value=info.chunks - 1))
    for index in range(info.chunks):
        chunk = snaps.load_chunk(1, 1, index)
        if index == victim:
            spot = data.draw(st.integers(min_value=0, max_value=len(chunk) - 1))
            tampered = chunk[:spot] + bytes([chunk[spot] ^ 0x01]) + chunk[spot + 1:]
            assert restorer.apply(index, tampered, "bad").result == restore.RETRY
        assert restorer.apply(index, chunk, "good").result == restore.ACCEPT
    assert all_rows(target) == sorted(state.items())
    assert target.committed().app_hash == app_hash


@pytest.mark.parametrize("settings", [dict(interval=-1), dict(keep_recent=0), dict(chunk_bytes=0),
                                      dict(chunk_bytes=(10 << 20) + 1)])
def test_impossible_snapshot_settings_are_refused(tmp_path, settings):
    with pytest.raises(ValueError, match=r"\[snapshot\] settings"):
        SnapshotStore(tmp_path, **settings)


class HeldStore:
    """A store whose snapshot reads wait for ``release`` (to hold a background build mid-way)."""

    def __init__(self, store: Store) -> None:
        import threading

        self.store, self.release, self.reading = store, threading.Event(), threading.Event()

    def __getattr__(self, name):
        return getattr(self.store, name)

    def state_at(self, txn, height):
        state, held = self.store.state_at(txn, height), self

        class Held:
            def iter_prefix(self, prefix):
                held.reading.set()
                assert held.release.wait(30)
                yield from state.iter_prefix(prefix)
        return Held()


def test_a_background_snapshot_does_not_hold_up_commits_and_captures_exactly_its_height(tmp_path):
    source, _ = source_store(tmp_path / "src", [many_keys(50), {b"a": b"1"}])
    held = HeldStore(source)
    snaps = SnapshotStore(tmp_path / "snaps", interval=2)
    assert snaps.after_commit(held, 2, CHAIN, 0)
    assert held.reading.wait(30)
    StoreDriver(source).commit({b"a": None, b"k/00001": b"changed", b"later": b"x"})   # height 3 commits meanwhile
    assert snaps.list() == []   # not listed before it is complete
    held.release.set()
    snaps.wait(30)
    (info,) = snaps.list()
    target = Store(tmp_path / "dst", map_size=1 << 26)
    app_hash_2 = Metadata.decode(info.metadata).app_hash
    assert restore_all(target, snaps, info, app_hash_2)[-1] == restore.ACCEPT
    assert all_rows(target) == all_rows(source, 2) != all_rows(source, 3)
