"""The protocol against adversaries: a stateful Hypothesis run of the whole economy, invariants after every block.

Each ``block`` step draws a few actor moves (silent providers, disputers, a
spammer, cancel-then-deliver, late actors, organizations that form, hold projects
and dissolve, plus the market simulation's ordinary traffic) into one block;
``silence`` lets every party go quiet until all escrow has drained.  After every
block ``tests.support.econ_sim.EconSim.check`` runs the economic invariants.  The
default test runs the fixed seeds of ``FIXED_SEEDS`` (why two: the comment there); the soak is random.
Rejected transactions are expected (adversaries try what the rules forbid); they
must be ledger errors with stable codes, never a crash.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, event, seed, settings, strategies as st, target
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.support.econ_sim import STEPS, EconSim


class EconomyMachine(RuleBasedStateMachine):
    tmp_root: Path | None = None
    runs = 0
    totals: dict = {}
    record: dict | None = None     # when a dict: run number -> [(time, txs, app hash) per block]

    @initialize()
    def start(self):
        cls = type(self)
        cls.runs += 1
        self.sim = EconSim(cls.tmp_root / f"run{cls.runs}")

    @rule(data=st.data(), bursts=st.integers(1, 12), step=st.sampled_from(STEPS), silent=st.integers(0, 9))
    def block(self, data, bursts, step, silent):
        """One block of actor moves; one time in ten, everyone then goes silent until escrow has drained."""
        self.sim.block(data.draw, bursts, step)
        if silent == 0:
            blocks = self.sim.silence()
            event(f"silence drained escrow in {min(blocks, 5)}{'+' if blocks >= 5 else ''} blocks")

    def teardown(self):
        if not hasattr(self, "sim"):
            return
        cls, sim = type(self), self.sim
        _tally(cls.totals, sim)
        if cls.record is not None:
            cls.record[cls.runs] = list(sim.blocks)
        event(f"due cap reached {min(sim.cap_hits, 3)}{'+' if sim.cap_hits >= 3 else ''} times")
        target(float(sim.cap_hits), label="due queues that used their whole cap")
        sim.close()


def _merge(totals: dict, more: dict) -> None:
    """Add one run's totals (block count, cap hits and the accepted/seen/rejected counters) into ``totals``."""
    for name, value in more.items():
        if isinstance(value, dict):
            bucket = totals.setdefault(name, {})
            for key, n in value.items():
                bucket[key] = bucket.get(key, 0) + n
        else:
            totals[name] = totals.get(name, 0) + value


def _tally(totals: dict, sim: EconSim) -> None:
    """Add one run's block count, cap hits, accepted actions, seen events and rejection codes to ``totals``."""
    totals["blocks"] = totals.get("blocks", 0) + len(sim.blocks)
    totals["cap_hits"] = totals.get("cap_hits", 0) + sim.cap_hits
    for name, counts in (("accepted", sim.accepted), ("seen", sim.seen), ("rejected", sim.rejected)):
        bucket = totals.setdefault(name, {})
        for key, n in counts.items():
            bucket[key] = bucket.get(key, 0) + n


# A seeded run is a function of its seed and the code: it draws the same blocks whatever ran before it in the
# process (tests/property/test_seeded_runs.py).  It once did not: seed 6 missed ActAsRole after test modules
# that import ``bench`` had run, because Hypothesis mixed the literals of every loaded module into its draws
# (tests/support/source_constants.py pins that pool empty for the session).  Seeds 1-15 with the pinned pool:
# 2-7 and 14 each reach every required kind and situation alone; the others miss ActAsRole or the streams,
# events that hinge on a vote or two passing.  Coverage is still judged over two seeds (6 alone covers
# everything, 8 misses only the streams): a change to an actor or a rule reshuffles every seeded run, and a
# second seed keeps the check from turning red on such a reshuffle alone (about 2 s CPU more).  The invariants
# are checked in both runs.
FIXED_SEEDS = (6, 8)


def run(tmp_path: Path, examples: int, steps: int, derandomize: bool = True, shrink: bool = False,
        fixed_seed: int = FIXED_SEEDS[0]) -> dict:
    """Run the machine (LMDB in tmpfs when there is one: the run is about logic, not fsync); return totals.

    Without ``shrink`` a failure is reported as found (shrinking these runs can take minutes)."""
    EconomyMachine.runs, EconomyMachine.totals = 0, {}
    phases = list(Phase) if shrink else [p for p in Phase if p is not Phase.shrink]
    config = settings(max_examples=examples, stateful_step_count=steps, deadline=None, derandomize=derandomize,
                      suppress_health_check=list(HealthCheck), database=None, phases=phases)
    base = "/dev/shm" if os.path.isdir("/dev/shm") else str(tmp_path)
    # ``derandomize`` alone seeds from a digest of Hypothesis's own wrapper, whose signature repr carries a
    # memory address, so the "fixed" run differed between checkouts; an explicit seed is the same everywhere.
    machine = seed(fixed_seed)(type("SeededEconomyMachine", (EconomyMachine,), {})) if derandomize else EconomyMachine
    with tempfile.TemporaryDirectory(dir=base, prefix="samen-econ-") as root:
        EconomyMachine.tmp_root = Path(root)
        run_state_machine_as_test(machine, settings=config)
    return EconomyMachine.totals


ADVERSARIAL_KINDS = {"DisputeMilestone", "CancelAgreement", "DeliverMilestone", "LeaveOrganization",
                     "SubmitProposal", "Vote", "CreateOrganization", "PostRequest", "MakeOffer", "AcceptOffer",
                     "CreateStream", "ClaimStream", "DelegateVote",
                     "ActAsRole"}
SITUATIONS = {"organization_dissolved", "dispute_opened", "cancel_proposed", "milestone_delivered",
              "proposal_executed", "fee_charged", "agreement_settled"}
# Sub-organization actors (found, veto, dissolve) run in every default run, but whether one founding passes
# depends on the drawn organizations' policies: tests/property/test_suborgs.py requires vetoes and dissolutions.


def test_the_economy_keeps_its_invariants_after_every_block_against_adversarial_actors(tmp_path):
    totals: dict = {}
    for fixed in FIXED_SEEDS:
        _merge(totals, run(tmp_path, examples=6, steps=25, fixed_seed=fixed))
    assert totals["blocks"] >= 100, f"only {totals['blocks']} blocks ran"
    missed = sorted(ADVERSARIAL_KINDS - set(totals["accepted"]))
    assert not missed, f"no transaction of these kinds was ever accepted: {missed}"
    unseen = sorted(SITUATIONS - set(totals["seen"]))
    assert not unseen, f"the adversaries never brought about: {unseen}"
    assert sum(totals["rejected"].values()) > 0, "no adversary was ever refused: the actors are too polite"
    assert totals["cap_hits"] > 0, "no queue ever used its whole due cap: the cap check was vacuous"


@pytest.mark.soak
@pytest.mark.timeout(3_600)
def test_the_economy_keeps_its_invariants_over_a_long_randomized_soak(tmp_path):
    totals = run(tmp_path, examples=60, steps=40, derandomize=False, shrink=True)
    assert totals["blocks"] >= 1_500
