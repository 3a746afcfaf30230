"""Determinism: simulation blocks replayed in other processes under other hash seeds give the same app hashes."""

from __future__ import annotations

from tests.property import test_economic_invariants as economy
from tests.property import test_market_machine as machine
from tests.support.determinism import Block, replay_elsewhere


def replay_under_other_hash_seeds(tmp_path, recorded: list, factory: str) -> None:
    """Replay ``[(time, txs, app_hash), ...]`` in other processes (the one driver); every app hash must match."""
    blocks = [Block(t, tuple(txs)) for t, txs, _ in recorded]
    replay_elsewhere(tmp_path, blocks, factory, expected=[{"app_hash": h.hex()} for _, _, h in recorded])


def busiest_recorded_run(machine_class, run, path, examples: int, steps: int) -> list:
    """Run a state machine with block recording on; return the recorded run with the most transactions."""
    machine_class.record = {}
    try:
        run(path, examples=examples, steps=steps)
        return max(machine_class.record.values(), key=lambda blocks: sum(len(b[1]) for b in blocks))
    finally:
        machine_class.record = None


def test_replaying_simulation_blocks_under_other_hash_seeds_gives_the_same_app_hash_at_every_height(tmp_path):
    recorded = busiest_recorded_run(machine.MarketMachine, machine.run, tmp_path / "sim", examples=3, steps=12)
    assert len(recorded) >= 5 and sum(len(txs) for _, txs, _ in recorded) >= 50
    replay_under_other_hash_seeds(tmp_path, recorded, "tests.property.test_market_machine:new_chain")


def test_the_adversarial_economy_replays_to_the_same_app_hash_at_every_height_under_other_hash_seeds(tmp_path):
    recorded = busiest_recorded_run(economy.EconomyMachine, economy.run, tmp_path / "sim", examples=3, steps=20)
    assert len(recorded) >= 10 and sum(len(txs) for _, txs, _ in recorded) >= 50
    replay_under_other_hash_seeds(tmp_path, recorded, "tests.support.econ_sim:new_chain")
