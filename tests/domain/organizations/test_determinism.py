"""Organizations are deterministic: the seeded simulation replayed in two processes with other hash seeds,
time zones and locales gives the same app hash, result codes and block events at every height
(the one driver: ``tests.support.determinism``)."""

from __future__ import annotations

from pathlib import Path

from tests.support.chain import TestChain
from tests.support.determinism import outcomes, recorded, replay_elsewhere
from tests.support.org_sim import STEPS, OrgSim, RandomPicker

BLOCKS = 30
ACCOUNTS = 20


def new_chain(path: Path) -> TestChain:
    """The simulation's genesis (for the replays)."""
    return OrgSim(path, n_accounts=ACCOUNTS).chain


def test_two_processes_with_different_hash_seeds_agree_on_every_height(tmp_path):
    sim = OrgSim(tmp_path / "here", n_accounts=ACCOUNTS)
    pick = RandomPicker(5)
    try:
        for _ in range(BLOCKS):
            sim.step(pick, 20, pick.choice(STEPS))
        expected = outcomes(sim.chain)
        replay_elsewhere(tmp_path, recorded(sim.chain), "tests.domain.organizations.test_determinism:new_chain",
                         expected=expected)
    finally:
        sim.close()
    events = {e for r in expected for e in r["events"]}
    assert {"proposal_decided", "proposal_executed"} <= events      # the run reaches decisions and execution
