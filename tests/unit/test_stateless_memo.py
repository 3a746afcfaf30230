"""The memo of passed stateless checks (``abci_app.chain.block._Passed``): a hit is exactly the check's
answer, failures are checked every time, and other parameters or another chain start afresh."""

from __future__ import annotations

import dataclasses

import pytest

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
    block._PASSED.passed.clear()
    return calls


def test_a_passed_transaction_is_answered_from_the_memo_with_the_same_value(counted):
    raw = ALICE.sign_tx("memo-chain", 0, Transfer(BOB.address, 5))
    first = block.check_stateless(raw, INFO)
    again = block.check_stateless(raw, dataclasses.replace(INFO, height=6, params=Params()))  # equal parameters
    assert again == first and counted == [raw]


def test_a_failing_transaction_is_checked_again_every_time(counted):
    raw = ALICE.sign_tx("another-chain", 0, Transfer(BOB.address, 5))   # signed for another chain: refused here
    for _ in range(2):
        with pytest.raises(WrongChain):
            block.check_stateless(raw, INFO)
    assert counted == [raw, raw]


def test_other_parameters_or_another_chain_id_empty_the_memo(counted):
    raw = ALICE.sign_tx("memo-chain", 0, Transfer(BOB.address, 5))
    block.check_stateless(raw, INFO)
    with pytest.raises(TxTooLarge):
        block.check_stateless(raw, dataclasses.replace(INFO, params=Params(max_tx_bytes=len(raw) - 1)))
    with pytest.raises(WrongChain):
        block.check_stateless(raw, dataclasses.replace(INFO, chain_id="other-chain"))
    assert block.check_stateless(raw, INFO) and len(counted) == 4
