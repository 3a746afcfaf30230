"""Hypothesis stateful simulation of organizations, proposals, fee sponsorship and transfers.

Each rule commits one block of random transactions (valid and invalid: wrong
sequences, unknown ids, bad policies, non-members, double votes, org-only actions
sent by people, sponsored fees) while block time advances by a random step.
After every block the invariants of ``tests.support.org_invariants`` hold; at the
end every member leaves and every dissolved treasury is swept, and nothing may
remain in any treasury.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, rule, run_state_machine_as_test

from tests.support.org_sim import STEPS, OrgSim, RandomPicker


class DrawPicker:
    """``Picker`` over Hypothesis ``data.draw`` (so failures shrink)."""

    def __init__(self, data) -> None:
        self.data = data

    def choice(self, items):
        return self.data.draw(st.sampled_from(items))

    def integer(self, low: int, high: int) -> int:
        return self.data.draw(st.integers(low, high))

    def chance(self, percent: int) -> bool:
        return self.data.draw(st.integers(0, 99)) < percent


class OrganizationsMachine(RuleBasedStateMachine):
    @initialize()
    def start(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="orgsim-"))
        self.sim = OrgSim(self.tmp / "db", n_accounts=8)

    @rule(data=st.data(), size=st.integers(1, 8), dt=st.sampled_from(STEPS))
    def block(self, data, size, dt):
        self.sim.step(DrawPicker(data), size, dt)

    @rule(dt=st.sampled_from([60, 400]))
    def empty_block(self, dt):
        self.sim.chain.block(time=self.sim.chain.time + dt)
        self.sim.check()

    def teardown(self):
        if hasattr(self, "sim"):
            try:
                self.sim.drain()
            finally:
                self.sim.close()
                shutil.rmtree(self.tmp, ignore_errors=True)


OrganizationsMachine.TestCase.settings = settings(
    max_examples=12, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
TestOrganizationsMachine = OrganizationsMachine.TestCase


def test_fifty_seeded_blocks_of_fifty_transactions_keep_every_invariant(tmp_path):
    sim = OrgSim(tmp_path / "db", n_accounts=50)
    pick = RandomPicker(20261127)
    try:
        for _ in range(50):
            sim.step(pick, 50, pick.choice(STEPS))
        assert len(sim.statuses) > 20     # the run did reach proposals, not only rejections
        sim.drain()
    finally:
        sim.close()


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_soak_organizations_machine_runs_long():
    run_state_machine_as_test(OrganizationsMachine, settings=settings(
        max_examples=300, stateful_step_count=80, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]))


@pytest.mark.soak
@pytest.mark.timeout(3600)
def test_soak_three_hundred_seeded_blocks_keep_every_invariant(tmp_path):
    sim = OrgSim(tmp_path / "db", n_accounts=60)
    pick = RandomPicker(7)
    try:
        for _ in range(300):
            sim.step(pick, 60, pick.choice(STEPS))
        sim.drain()
    finally:
        sim.close()
