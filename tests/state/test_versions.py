"""Versioned state on real LMDB: reads at past heights, proofs per height, pruning."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from abci_app.chain import apphash
from abci_app.chain.state import proofs, smt
from abci_app.adapter.storage.store import Store
from abci_app.chain.state.versions import HeightNotAvailable


class StoreDriver:
    """Commit write sets the way LedgerApp does: tree update in memory, one LMDB commit."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.height = store.committed().height

    def commit(self, writes: dict[bytes, bytes | None]) -> bytes:
        txn = self.store.read_txn()
        try:
            committed = self.store.committed(txn)
            tree = apphash.next_tree(self.store.nodes(txn), committed.root, sorted(writes.items()), self.height + 1)
        finally:
            txn.abort()
        self.height += 1
        self.store.commit(sorted(writes.items()), self.height, apphash.app_hash(tree), "c", 0, tree=tree)
        return apphash.app_hash(tree)


def snapshot_rows(state, prefix: bytes = b"", reverse: bool = False) -> list[tuple[bytes, bytes]]:
    return [(bytes(k), bytes(v)) for k, v in state.iter_prefix(prefix, reverse=reverse)]


keys = st.binary(min_size=1, max_size=4).map(lambda b: b.replace(b"\xff", b"\x00"))  # exercise 0x00 escaping
blocks = st.lists(st.dictionaries(keys, st.one_of(st.none(), st.binary(min_size=1, max_size=6)), max_size=12),
                  min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(blocks, keys)
def test_reads_at_every_past_height_equal_what_was_committed_at_that_height(tmp_path_factory, block_list, probe):
    store = Store(tmp_path_factory.mktemp("db"), map_size=1 << 26)
    driver, model, history = StoreDriver(store), {}, []
    for writes in block_list:
        app_hash = driver.commit(writes)
        for k, v in writes.items():
            if v is None:
                model.pop(k, None)
            else:
                model[k] = v
        history.append((dict(model), app_hash))
    txn = store.read_txn()
    try:
        for height, (expected, app_hash) in enumerate(history, start=1):
            state = store.state_at(txn, height)
            ordered = sorted(expected.items())
            assert snapshot_rows(state) == ordered
            assert snapshot_rows(state, reverse=True) == ordered[::-1]
            assert snapshot_rows(state, probe[:1]) == [kv for kv in ordered if kv[0].startswith(probe[:1])]
            root = store.root_at(txn, height)
            assert (root.hash if root else smt.EMPTY_ROOT) == app_hash
            for key in list(expected) + [probe]:
                assert state.get(key) == expected.get(key)
                proofs.verify(app_hash, key, expected.get(key), proofs.prove(store.nodes(txn), root, key))
    finally:
        txn.abort()
        store.close()


def test_iteration_at_a_height_resumes_from_a_start_key(tmp_path):
    store = Store(tmp_path, map_size=1 << 26)
    driver = StoreDriver(store)
    driver.commit({b"a/1": b"x", b"a/2": b"y", b"a/3": b"z", b"b/1": b"w"})
    driver.commit({b"a/2": None, b"a/4": b"v"})
    txn = store.read_txn()
    state = store.state_at(txn, 1)
    assert [k for k, _ in state.iter_prefix(b"a/", start=b"a/2")] == [b"a/2", b"a/3"]
    assert [k for k, _ in state.iter_prefix(b"a/", start=b"a/3", reverse=True)] == [b"a/2", b"a/1"]
    latest = store.state_at(txn, 2)
    assert [k for k, _ in latest.iter_prefix(b"a/")] == [b"a/1", b"a/3", b"a/4"]
    txn.abort()
    store.close()


def test_heights_beyond_the_retention_window_are_a_clear_error_and_their_rows_are_deleted(tmp_path):
    store = Store(tmp_path, map_size=1 << 26, retain_heights=3)
    driver = StoreDriver(store)
    for height in range(1, 11):
        driver.commit({b"counter": b"%d" % height, b"gone-%d" % height: b"x", b"gone-%d" % (height - 1): None})
    txn = store.read_txn()
    try:
        for height in (8, 9, 10):
            assert store.state_at(txn, height).get(b"counter") == b"%d" % height
        for height in (0, 1, 7, 11):
            with pytest.raises(HeightNotAvailable, match=r"retained heights are 8\.\.10"):
                store.state_at(txn, height)
        history = list(txn.cursor(db=store.db(b"history")).iternext(values=False))
        counter_versions = [k for k in history if k.startswith(b"counter")]
        assert len(counter_versions) == 3   # only heights 8, 9 and 10 remain
        assert not list(txn.cursor(db=store.db(b"stale")).iternext(values=False))[:1] or \
            all(int.from_bytes(k[:8], "big") > 8 for k in txn.cursor(db=store.db(b"stale")).iternext(values=False))
        root = store.root_at(txn, 8)
        proofs.verify(root.hash, b"counter", b"8", proofs.prove(store.nodes(txn), root, b"counter"))
    finally:
        txn.abort()
        store.close()


def test_pruning_does_at_most_the_budgeted_work_per_commit_and_catches_up(tmp_path):
    store = Store(tmp_path, map_size=1 << 26, retain_heights=2, prune_budget=50)
    driver = StoreDriver(store)
    driver.commit({b"k%04d" % i: b"v" for i in range(400)})
    driver.commit({b"k%04d" % i: None for i in range(400)})
    driver.commit({b"other": b"1"})
    txn = store.read_txn()
    remaining = sum(1 for _ in txn.cursor(db=store.db(b"history")).iternext(values=False))
    txn.abort()
    assert remaining > 300   # one commit could not delete everything
    for _ in range(40):
        driver.commit({b"other": b"2"})
    txn = store.read_txn()
    keys_left = {bytes(k[:-10]) for k in txn.cursor(db=store.db(b"history")).iternext(values=False)}
    nodes_left = sum(1 for _ in txn.cursor(db=store.db(b"nodes")).iternext(values=False))
    txn.abort()
    store.close()
    assert keys_left == {b"other"}
    assert nodes_left <= 3
