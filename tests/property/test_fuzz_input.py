"""Hypothesis: arbitrary bytes and mutated valid transactions never raise out of CheckTx or
FinalizeBlock, are always rejected with a stable code, and never change state.

The default example counts keep ``make test`` fast; ``make soak`` runs the same
properties with many more examples.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import all_error_classes
from tests.abci.helpers import check_view, committed_view
from tests.support.chain import TestChain, key

ALICE, BOB = key(1), key(2)
KNOWN_CODES = {(cls.codespace, cls.code) for cls in all_error_classes()}
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SOAK = settings(max_examples=5_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def make_chain(path) -> TestChain:
    chain = TestChain(path, balances={ALICE: 1_000_000, BOB: 1_000})
    chain.block()  # commit genesis
    return chain


def valid_tx(chain, memo: str = "fuzz") -> bytes:
    return ALICE.sign_tx(chain.chain_id, 0, Transfer(BOB.address, 25, memo))


@st.composite
def mutations(draw, raw: bytes) -> bytes:
    """Flip, delete, insert or overwrite bytes of ``raw``; the result always differs from it."""
    kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "splice"]))
    at = draw(st.integers(0, len(raw) - 1))
    if kind == "flip":
        bit = draw(st.integers(0, 7))
        return raw[:at] + bytes([raw[at] ^ (1 << bit)]) + raw[at + 1:]
    if kind == "delete":
        n = draw(st.integers(1, 8))
        return raw[:at] + raw[at + n:]
    if kind == "insert":
        return raw[:at] + draw(st.binary(min_size=1, max_size=8)) + raw[at:]
    if kind == "truncate":
        return raw[:at]
    junk = draw(st.binary(min_size=1, max_size=8))
    spliced = raw[:at] + junk + raw[at + len(junk):]
    return spliced if spliced != raw else raw[:at]


def assert_rejected_without_change(chain, raws: list[bytes]) -> None:
    committed, pending = committed_view(chain), check_view(chain)
    for raw in raws:
        outcome = chain.check(raw)
        assert outcome.code != 0 and (outcome.codespace, outcome.code) in KNOWN_CODES
    assert check_view(chain) == pending
    result = chain.finalize(*raws)
    assert len(result.txs) == len(raws)
    assert all(t.code != 0 and (t.codespace, t.code) in KNOWN_CODES for t in result.txs)
    assert result.app_hash == committed[1]
    assert chain.app.pending.state.writes == {}
    assert committed_view(chain) == committed


def run_arbitrary_bytes(chain, config) -> None:
    @config
    @given(st.lists(st.binary(max_size=400), min_size=1, max_size=6))
    def prop(raws):
        assert_rejected_without_change(chain, raws)

    prop()


def run_mutated_valid_txs(chain, config) -> None:
    raw = valid_tx(chain)

    @config
    @given(st.lists(mutations(raw), min_size=1, max_size=4))
    def prop(raws):
        assert_rejected_without_change(chain, raws)

    prop()


def finish(chain) -> None:
    """Commit the last finalized (all-rejected) block: the committed state must still be unchanged."""
    height, app_hash, state = committed_view(chain)
    if chain.app.pending is not None:
        chain.app.commit()
        assert committed_view(chain) == (height + 1, app_hash, state)
    assert chain.check(valid_tx(chain)).ok  # the real transaction still works afterwards


def test_arbitrary_bytes_are_rejected_and_change_nothing(tmp_path):
    chain = make_chain(tmp_path / "db")
    run_arbitrary_bytes(chain, QUICK)
    finish(chain)
    chain.close()


def test_mutated_valid_transactions_are_rejected_and_change_nothing(tmp_path):
    chain = make_chain(tmp_path / "db")
    run_mutated_valid_txs(chain, QUICK)
    finish(chain)
    chain.close()


@pytest.mark.soak
def test_soak_arbitrary_and_mutated_bytes_are_rejected_and_change_nothing(tmp_path):
    chain = make_chain(tmp_path / "db")
    run_arbitrary_bytes(chain, SOAK)
    run_mutated_valid_txs(chain, SOAK)
    finish(chain)
    chain.close()
