"""Randomized simulation of the market family (Hypothesis stateful testing) with invariants after every block.

Each step is one block of up to 50 generated transactions (valid and invalid,
twelve accounts, every message kind of documents, market, agreements and
projects, plus transfers), with block time advancing by seconds to weeks so
expiries, review, reclaim and arbitration windows all fire.  After every block
the invariants of ``tests.support.market_invariants`` must hold.

Transactions are pre-checked with CheckTx (against the accumulating check
state) only to keep signers' sequences right; the block executes every
generated transaction, including the ones CheckTx rejected.  A transaction whose
action fails still consumes its sequence (and fee): after every block each
signer's sequence has risen by exactly its authenticated transactions.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.components import ROUTER
from tests.support import market_invariants as inv
from tests.support.chain import TestChain, key
from tests.support.market import DAY
from tests.support.market_sim import draw_action

PEOPLE = [key(n) for n in range(40, 52)]
WINDOWS = {"review_window": 2 * DAY, "arbitration_window": 3 * DAY, "reclaim_window": 4 * DAY,
           "max_offer_window": 10 * DAY, "max_delivery_window": 20 * DAY, "max_transfer_window": 10 * DAY,
           "dispute_bond_bps": 1_500, "cancel_window": 2 * DAY, "reputation_half_life": 10 * DAY}
STEPS = (1, 30, 600, 3_600, 6 * 3_600, DAY, 2 * DAY, 5 * DAY)


class MarketMachine(RuleBasedStateMachine):
    tmp_root = None
    blocks_run = 0
    txs_run = 0
    accepted = 0
    accepted_kinds: set = set()
    runs = 0
    record: dict | None = None   # when a dict: run number -> [(time, txs, app_hash) per block]

    @initialize()
    def start(self):
        cls = type(self)
        cls.runs += 1
        path = cls.tmp_root / f"run{cls.runs}"
        self.chain = new_chain(path)
        self.statuses = inv.snapshot_statuses(self.chain.state)

    @rule(data=st.data(), size=st.integers(1, 50), step=st.sampled_from(STEPS))
    def block(self, data, size, step):
        txs = [self._tx(data) for _ in range(size)]
        before = {p.address: accounts.get(self.chain.state, p.address).sequence for p in PEOPLE}
        result = self.chain.block(*txs, time=self.chain.time + step)
        check_sequences_follow_authentication(before, self.chain.state, result)
        if type(self).record is not None:
            type(self).record.setdefault(type(self).runs, []).append((self.chain.time, txs, result.app_hash))
        type(self).blocks_run += 1
        type(self).txs_run += len(txs)
        type(self).accepted += sum(t.ok for t in result.txs)
        type(self).accepted_kinds.update(t.action for t in result.txs if t.ok)
        for p in PEOPLE:
            self.chain.sequences[p.address] = accounts.get(self.chain.state, p.address).sequence
        state = self.chain.state
        inv.check_all(state, self.chain.time)
        after = inv.snapshot_statuses(state)
        inv.check_transitions(self.statuses, after)
        self.statuses = after

    def _tx(self, data):
        """Draw one transaction; keep the signer's sequence right when CheckTx accepts it."""
        view = self.chain.app.check_state
        signer, action = draw_action(data.draw, view, self.chain.time, PEOPLE)
        seq = self.chain.sequences.get(signer.address, 0)
        raw = signer.sign_tx(self.chain.chain_id, seq, action)
        outcome = self.chain.check(raw)
        if outcome.ok or outcome.charged:   # charged: the action failed, but the block will take the sequence
            self.chain.sequences[signer.address] = seq + 1
        return raw

    def teardown(self):
        if hasattr(self, "chain"):
            self.chain.close()


def check_sequences_follow_authentication(before: dict, state, result) -> None:
    """Each signer's sequence rose by exactly its authenticated (``charged``) transactions, failed or not."""
    charged = {address: 0 for address in before}
    for t in result.txs:
        assert t.charged or not t.ok, "a successful transaction must have been charged"
        if t.charged:
            charged[t.signer] += 1
    for address, sequence in before.items():
        assert accounts.get(state, address).sequence == sequence + charged[address], address


def new_chain(path: Path) -> TestChain:
    """The simulation's genesis: twelve funded people and short windows so every timer fires."""
    return TestChain(path, balances={p: 20_000 for p in PEOPLE}, extra_genesis={"market": WINDOWS})


def run(tmp_path, examples: int, steps: int, derandomize: bool = True):
    """Run the machine; LMDB lives in tmpfs when there is one (the run is about logic, not fsync)."""
    if os.path.isdir("/dev/shm"):
        with tempfile.TemporaryDirectory(dir="/dev/shm", prefix="samen-sim-") as shm:
            return _run(Path(shm), examples, steps, derandomize)
    return _run(tmp_path, examples, steps, derandomize)


def _run(tmp_path, examples: int, steps: int, derandomize: bool):
    MarketMachine.tmp_root = tmp_path
    MarketMachine.blocks_run = MarketMachine.txs_run = MarketMachine.accepted = MarketMachine.runs = 0
    MarketMachine.accepted_kinds = set()
    config = settings(max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=derandomize,
                      suppress_health_check=list(HealthCheck), database=None)
    run_state_machine_as_test(MarketMachine, settings=config)
    return MarketMachine.blocks_run, MarketMachine.txs_run, MarketMachine.accepted


def test_market_simulation_keeps_every_invariant_over_at_least_fifty_blocks(tmp_path):
    blocks, txs, accepted = run(tmp_path, examples=4, steps=30)
    assert blocks >= 50, f"only {blocks} blocks ran"
    assert accepted >= txs // 5, f"only {accepted} of {txs} transactions were accepted: the simulation is too blind"
    family = tuple(f"abci_app.chain.domain.{p}." for p in ("documents", "market", "agreements", "projects"))
    kinds = {cls.__name__ for cls in ROUTER if cls.__module__.startswith(family)} | {"Transfer"}
    missed = sorted(kinds - MarketMachine.accepted_kinds)
    assert not missed, f"no transaction of these kinds was ever accepted: {missed}"


@pytest.mark.soak
@pytest.mark.timeout(3_600)
def test_market_simulation_soak(tmp_path):
    blocks, txs, accepted = run(tmp_path, examples=20, steps=50, derandomize=False)
    assert blocks >= 500
