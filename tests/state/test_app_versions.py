"""The app's use of the tree: app hash, crash replay, queries at a height with proofs."""

from __future__ import annotations

from abci_app.adapter.app import LedgerApp
from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.state import proofs
from abci_app.adapter.storage.store import Store
from tests.support.chain import TestChain, key, ok
from abci_app.chain import errors
from abci_app.chain.state import versions as state_versions
from tests.support.rejections import assert_rejected


def test_the_app_hash_is_the_tree_root_and_a_block_without_writes_keeps_it(chain, alice, bob):
    first = ok(chain.block(chain.tx(alice, Transfer(bob.address, 5)))).app_hash
    assert first != chain.genesis_hash
    assert chain.block().app_hash == first
    assert chain.app.info() == (2, first)


def test_a_crash_between_finalize_and_commit_replays_to_the_same_app_hash(chain, alice, bob):
    chain.block(chain.tx(alice, Transfer(bob.address, 5)))
    tx = chain.tx(alice, Transfer(bob.address, 6))
    lost = chain.finalize(tx, time=chain.time + 5)
    chain.reopen()
    assert chain.app.info()[0] == 1
    replayed = chain.finalize(tx, time=chain.time)
    assert replayed.app_hash == lost.app_hash
    chain.app.commit()
    assert chain.app.info() == (2, lost.app_hash)


def test_a_crash_before_the_first_commit_replays_genesis_and_block_one(tmp_path):
    alice, bob = key(1), key(2)
    chain = TestChain(tmp_path / "db", balances={alice: 100, bob: 0})
    tx = chain.tx(alice, Transfer(bob.address, 1))
    lost = chain.finalize(tx)
    chain.close()
    again = TestChain(tmp_path / "db", balances={alice: 100, bob: 0})
    assert again.genesis_hash == chain.genesis_hash
    assert again.block(tx, time=chain.time).app_hash == lost.app_hash
    again.close()


def test_queries_at_past_heights_return_that_heights_value_with_a_verifiable_proof(chain, alice, bob):
    hashes = {}
    for amount in (10, 20, 30):
        result = ok(chain.block(chain.tx(alice, Transfer(bob.address, amount))))
        hashes[chain.height] = result.app_hash
    path = f"/account/{bob.address}"
    balances = []
    for height, app_hash in hashes.items():
        answer = chain.app.query(path, b"", height=height, prove=True)
        assert answer.code == 0 and answer.height == height
        assert answer.key == account_keys.account(bob.address)
        proofs.verify(app_hash, answer.key, answer.value, answer.proof)
        balances.append(chain.app.query(path, b"", height=height).value)
    assert len(set(balances)) == 3
    assert chain.app.query(path, b"").value == balances[-1]


def test_a_query_for_a_missing_account_proves_its_absence(chain, alice):
    nobody = key(99).address
    chain.block()
    answer = chain.app.query(f"/account/{nobody}", b"", prove=True)
    assert_rejected(answer, errors.NotFound)
    proofs.verify(chain.app.info()[1], account_keys.account(nobody), None, answer.proof)


def test_a_query_at_a_pruned_or_future_height_is_a_clear_error(tmp_path):
    chain = TestChain(tmp_path / "db")
    chain.close()
    chain.store = Store(tmp_path / "db", retain_heights=2)
    chain.app = LedgerApp(chain.store)
    chain.genesis_hash = chain.app.init_chain(chain.chain_id, b'{"accounts": []}')
    for _ in range(4):
        chain.block()
    for height in (1, 2, 5):
        answer = chain.app.query("/store", b"supply", height=height)
        assert_rejected(answer, state_versions.HeightNotAvailable)
        assert "retained heights are 3..4" in answer.log
    assert chain.app.query("/store", b"supply", height=3).value == b"0"
    chain.close()
