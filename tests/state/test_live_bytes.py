"""``Store.live_bytes``: the pages the data occupies, by part, falling when data is deleted (unlike the file)."""

from __future__ import annotations

from abci_app.adapter.storage.store import Store


def _write(store: Store, db: bytes, keys: range, value: bytes | None) -> None:
    with store.env.begin(write=True) as txn:
        for n in keys:
            key = b"k%08d" % n
            if value is None:
                txn.delete(key, db=store.db(db))
            else:
                txn.put(key, value, db=store.db(db))


def test_live_bytes_rise_with_data_fall_when_it_is_deleted_and_keep_records_apart(tmp_path):
    store = Store(tmp_path / "lmdb")
    try:
        empty = store.live_bytes()
        _write(store, b"state", range(2000), b"v" * 100)
        full = store.live_bytes()
        assert full["state"] >= empty["state"] + 2000 * 100 and full["records"] == empty["records"]
        high_water = store.env.info()["last_pgno"]
        _write(store, b"state", range(2000), None)
        assert store.live_bytes() == empty and store.env.info()["last_pgno"] >= high_water   # the file does not shrink
        _write(store, b"txs", range(500), b"r" * 100)
        assert store.live_bytes()["records"] >= empty["records"] + 500 * 100
    finally:
        store.close()
