"""Hypothesis: PrepareProposal keeps, in order, exactly the transactions that pass stateless
checks, are not repeats and fit in ``max_tx_bytes``; ProcessProposal accepts every block it
builds, and accepts any other block exactly when all its transactions pass the stateless
checks and none repeats (stateful failures are FinalizeBlock's business)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain import block
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import LedgerError
from abci_app.adapter.protos import abci
from abci_app.adapter.server import AbciServer
from tests.support.chain import TestChain, key

ALICE, BOB, STRANGER = key(1), key(2), key(9)
CHAIN = "samen-test"
QUICK = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def pool() -> list[bytes]:
    """A mempool mix: valid, stateful-invalid (kept), and stateless-invalid (dropped) txs."""
    txs = [ALICE.sign_tx(CHAIN, s, Transfer(BOB.address, 1 + s, "m" * (s * 20))) for s in range(6)]
    txs += [BOB.sign_tx(CHAIN, 0, Transfer(ALICE.address, 10**9)),          # insufficient funds: stateful
            STRANGER.sign_tx(CHAIN, 0, Transfer(BOB.address, 5)),           # unknown sender: stateful
            ALICE.sign_tx(CHAIN, 99, Transfer(BOB.address, 5)),             # wrong sequence: stateful
            ALICE.sign_tx("other-chain", 0, Transfer(BOB.address, 5)),      # wrong chain: stateless
            ALICE.sign_tx(CHAIN, 0, Transfer(BOB.address, 0)),              # zero amount: stateless
            ALICE.sign_tx(CHAIN, 0, Transfer(BOB.address, 5, "x" * 40_000)),  # oversize: stateless
            b"", b"\x0a\x03abc", bytes(range(40))]                          # garbage: stateless
    return txs


POOL = pool()


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    c = TestChain(tmp_path_factory.mktemp("proposals") / "db", balances={ALICE: 10**6, BOB: 1_000})
    c.block()
    yield c
    c.close()


def passes_stateless(chain, raw: bytes) -> bool:
    try:
        block.check_stateless(raw, chain.app._next_block_info())
    except LedgerError:
        return False
    return True


def process_over_the_wire(chain, txs: list[bytes]) -> int:
    request = abci.Request(process_proposal=abci.RequestProcessProposal(txs=txs, height=chain.height + 1))
    response, _ = AbciServer(chain.app).respond(request.SerializeToString())
    return response.process_proposal.status


def test_prepare_then_process_proposal_properties(chain):
    @QUICK
    @given(st.lists(st.integers(0, len(POOL) - 1), max_size=25), st.integers(0, 6_000))
    def prop(picks, max_tx_bytes):
        txs = [POOL[i] for i in picks]
        kept = chain.app.prepare_proposal(txs, max_tx_bytes)
        assert sum(len(t) for t in kept) <= max_tx_bytes
        # kept is exactly the greedy, in-order selection of stateless-valid, first-seen txs that still fit
        expected, total = [], 0
        for raw in txs:
            if passes_stateless(chain, raw) and total + len(raw) <= max_tx_bytes and raw not in expected:
                expected.append(raw)
                total += len(raw)
        assert kept == expected
        assert chain.app.process_proposal(kept)
        assert process_over_the_wire(chain, kept) == abci.ResponseProcessProposal.ACCEPT
        result = chain.app.finalize_block(chain.height + 1, chain.time + 5, b"\x01" * 20, kept)
        assert len(result.txs) == len(kept)

    prop()


def test_process_proposal_is_deterministic_and_rejects_exactly_junk_and_repeats(chain):
    @QUICK
    @given(st.lists(st.one_of(st.sampled_from(POOL), st.binary(max_size=200)), max_size=10))
    def prop(txs):
        first = process_over_the_wire(chain, txs)
        assert first == process_over_the_wire(chain, txs)
        clean = all(passes_stateless(chain, raw) for raw in txs) and len(set(txs)) == len(txs)
        assert first == (abci.ResponseProcessProposal.ACCEPT if clean else abci.ResponseProcessProposal.REJECT)

    prop()
