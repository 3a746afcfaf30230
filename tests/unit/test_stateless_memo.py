"""The memo of passed stateless checks (``abci_app.chain.block.PassedChecks``): a hit is exactly the check's
answer, failures are checked every time, other parameters or another chain start afresh, and each app
owns its own memo."""

from __future__ import annotations

import dataclasses

import pytest

from abci_app.adapter.app import LedgerApp
from abci_app.adapter.storage.store import Store
from abci_app.chain import auth, block
from abci_app.chain.context import BlockInfo
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.market.params import MarketParams
from abci_app.chain.domain.params import Params
from abci_app.chain.errors import TxTooLarge, WrongChain
from tests.support.chain import key

ALICE, BOB = key(1), key(2)
INFO = BlockInfo(5, 1_700_000_000, "memo-chain", b"", Params(), MarketParams())


@pytest.fixture
def counted(monkeypatch):
    calls = []
    real = auth.check_stateless

    def counting(raw, chain_id, params):
        calls.append(raw)
        return real(raw, chain_id, params)

    monkeypatch.setattr(auth, "check_stateless", counting)
    return calls


@pytest.fixture
def memo():
    return block.PassedChecks()


def test_a_passed_transaction_is_answered_from_the_memo_with_the_same_value(counted, memo):
    raw = ALICE.sign_tx("memo-chain", 0, Transfer(BOB.address, 5))
    first = block.check_stateless(raw, INFO, memo)
    again = block.check_stateless(raw, dataclasses.replace(INFO, height=6, params=Params()), memo)  # equal parameters
    assert again == first and counted == [raw]


def test_a_failing_transaction_is_checked_again_every_time(counted, memo):
    raw = ALICE.sign_tx("another-chain", 0, Transfer(BOB.address, 5))   # signed for another chain: refused here
    for _ in range(2):
        with pytest.raises(WrongChain):
            block.check_stateless(raw, INFO, memo)
    assert counted == [raw, raw]


def test_other_parameters_or_another_chain_id_empty_the_memo(counted, memo):
    raw = ALICE.sign_tx("memo-chain", 0, Transfer(BOB.address, 5))
    block.check_stateless(raw, INFO, memo)
    with pytest.raises(TxTooLarge):
        block.check_stateless(raw, dataclasses.replace(INFO, params=Params(max_tx_bytes=len(raw) - 1)), memo)
    with pytest.raises(WrongChain):
        block.check_stateless(raw, dataclasses.replace(INFO, chain_id="other-chain"), memo)
    assert block.check_stateless(raw, INFO, memo) and len(counted) == 4


def test_without_a_memo_every_check_runs_again(counted):
    raw = ALICE.sign_tx("memo-chain", 0, Transfer(BOB.address, 5))
    assert block.check_stateless(raw, INFO) == block.check_stateless(raw, INFO) and counted == [raw, raw]


def test_two_apps_in_one_process_never_share_their_memos(tmp_path):
    first, second = (LedgerApp(Store(tmp_path / name, map_size=1 << 24)) for name in ("one", "two"))
    raw = ALICE.sign_tx("memo-chain", 0, Transfer(BOB.address, 5))
    block.check_stateless(raw, INFO, first.passed)
    assert first.passed is not second.passed and raw in first.passed.passed and raw not in second.passed.passed
    for app in (first, second):
        app.close()
        app.store.close()


def test_the_memo_keeps_no_more_transaction_bytes_than_its_byte_budget(memo):
    memo.MAX_BYTES = 1000
    raws = [ALICE.sign_tx("memo-chain", n, Transfer(BOB.address, 5)) for n in range(20)]
    for raw in raws:
        block.check_stateless(raw, INFO, memo)
    assert sum(map(len, memo.passed)) <= 1000 and raws[-1] in memo.passed and raws[0] not in memo.passed
