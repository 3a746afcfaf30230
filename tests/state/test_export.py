"""Export at a height, import into a new chain: zero differing keys, same app hash."""

from __future__ import annotations

import json

import pytest

from abci_app.adapter.app import LedgerApp
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.adapter.storage.export import ExportFormatError, export_state
from abci_app.adapter.storage.store import Store
from tests.support.chain import TestChain, key, ok


def new_chain(path, app_state: dict, chain_id: str) -> LedgerApp:
    app = LedgerApp(Store(path))
    app.init_chain(chain_id, json.dumps(app_state).encode())
    return app


def all_rows(store: Store, height: int) -> dict[bytes, bytes]:
    txn = store.read_txn()
    try:
        return {bytes(k): bytes(v) for k, v in store.state_at(txn, height).iter_prefix(b"")}
    finally:
        txn.abort()


def test_a_chain_started_from_an_export_has_the_same_state_and_app_hash_and_stays_in_step(tmp_path):
    alice, bob, carol = key(1), key(2), key(3)
    source = TestChain(tmp_path / "a", balances={alice: 10_000, bob: 500})
    for amount in (1, 2, 3):
        ok(source.block(source.tx(alice, Transfer(bob.address, amount)), source.tx(bob, Transfer(carol.address, 1))))
    exported_at = source.height
    expected_hash = source.app.info()[1]
    ok(source.block(source.tx(alice, Transfer(carol.address, 9))))   # the export is of a past height

    doc = json.loads(json.dumps(export_state(source.store, exported_at)))   # through a genesis file
    target = new_chain(tmp_path / "b", doc, source.chain_id)
    assert target.genesis_hash == expected_hash
    target.finalize_block(1, source.time, b"\x01" * 20, [])
    target.commit()
    assert target.info() == (1, expected_hash)
    assert all_rows(target.store, 1) == all_rows(source.store, exported_at)

    source.close()
    target.store.close()


def test_after_an_import_the_same_block_gives_both_chains_the_same_app_hash(tmp_path):
    alice, bob = key(1), key(2)
    source = TestChain(tmp_path / "a", balances={alice: 10_000, bob: 500})
    ok(source.block(source.tx(alice, Transfer(bob.address, 5))))
    target = new_chain(tmp_path / "b", export_state(source.store, source.height), source.chain_id)
    target.finalize_block(1, source.time, b"\x01" * 20, [])
    target.commit()
    txs = [source.tx(alice, Transfer(bob.address, 4)), source.tx(bob, Transfer(alice.address, 2))]
    on_target = target.finalize_block(2, source.time + 5, b"\x01" * 20, txs)
    target.commit()
    on_source = ok(source.block(*txs, time=source.time + 5))
    assert [t.code for t in on_target.txs] == [0, 0]
    assert on_target.app_hash == on_source.app_hash
    assert all_rows(target.store, 2) == all_rows(source.store, source.height)
    source.close()
    target.store.close()


def test_an_export_whose_entries_were_edited_is_refused(tmp_path):
    source = TestChain(tmp_path / "a", balances={key(1): 100})
    source.block()
    doc = export_state(source.store, 1)
    source.close()
    doc["samen_state"]["entries"][0][1] = "00"
    with pytest.raises(ExportFormatError, match="do not hash to the exported app hash"):
        new_chain(tmp_path / "b", doc, "x")


def test_samen_export_writes_a_genesis_whose_app_state_is_the_export(tmp_path):
    from abci_app.tools.cli.main import main
    home = tmp_path / "home"
    source = TestChain(home / "data" / "samen", balances={key(1): 100, key(2): 5})
    ok(source.block(source.tx(key(1), Transfer(key(2).address, 7))))
    source.block()
    expected = export_state(source.store, 1)
    source.close()
    template = tmp_path / "genesis.json"
    template.write_text(json.dumps({"chain_id": "next", "app_hash": "AB", "app_state": {}}))
    out = tmp_path / "exported.json"
    assert main(["export", "--home", str(home), "--height", "1", "--genesis", str(template), "--out", str(out)]) == 0
    written = json.loads(out.read_text())
    assert written["app_state"] == expected and written["app_hash"] == "" and written["chain_id"] == "next"
    assert main(["export", "--home", str(home), "--height", "9"]) != 0
