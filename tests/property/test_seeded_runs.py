"""A seeded Hypothesis run draws the same input, and the chain gives the same app hashes, whatever ran before it.

The economic suite's seed 6 once missed ``ActAsRole`` after ``tests/unit/test_bench_adversarial.py``
had run in the same process: importing ``bench`` had added its literals to the pool Hypothesis
harvests from loaded source (``tests/support/source_constants.py``), which ``tests/conftest.py``
now pins empty.  These tests perturb exactly that: they import modules full of new literals (and
the ``bench`` modules of the report) between two runs of one seed, and the second run also meets
the chain's process-wide memos (decoded values, passed stateless checks) warm with the first run's
transactions; the blocks, their transactions and their app hashes must not change.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

from hypothesis.internal.conjecture import providers

from tests.property import test_economic_invariants as econ
from tests.support import source_constants

# Literals none of our modules holds: were the pool still harvested, they would join it.
LITERALS = "NUMBERS = {numbers}\nWORDS = {words}\nBLOBS = {blobs}\n".format(
    numbers=list(range(1, 400, 3)) + [40_001, 777_601, 2**40 + 7],
    words=[f"perturb-{n}" for n in range(50)] + ["samen1perturbperturbperturbperturbperturb"],
    blobs=[bytes([n]) * 4 for n in range(40)])


def _import_new_module(tmp_path: Path, name: str) -> None:
    """Write a module full of ``LITERALS`` where imports find it and import it (it stays loaded, like any other)."""
    (tmp_path / f"{name}.py").write_text(LITERALS)
    sys.path.insert(0, str(tmp_path))
    try:
        importlib.import_module(name)
    finally:
        sys.path.remove(str(tmp_path))


def _seeded_blocks(tmp_path: Path) -> dict:
    """Run the economy's first fixed seed briefly; return run number -> [(time, txs, app hash) per block]."""
    econ.EconomyMachine.record = {}
    try:
        econ.run(tmp_path, examples=3, steps=20, fixed_seed=econ.FIXED_SEEDS[0])
        return dict(econ.EconomyMachine.record)
    finally:
        econ.EconomyMachine.record = None


def test_the_literals_of_a_newly_imported_module_never_reach_hypothesis(tmp_path):
    assert source_constants.pinned()
    _import_new_module(tmp_path, "samen_perturb_pool")
    pool = providers._get_local_constants()
    assert not (pool.integers or pool.floats or pool.bytes or pool.strings)


def test_a_seeded_economy_run_repeats_block_for_block_after_new_modules_and_with_warm_chain_memos(tmp_path):
    first = _seeded_blocks(tmp_path)
    _import_new_module(tmp_path, "samen_perturb_run")
    importlib.import_module("bench.adversarial")     # the modules of the reported repro
    importlib.import_module("bench.e2e_report")
    second = _seeded_blocks(tmp_path)
    assert sum(len(blocks) for blocks in first.values()) >= 10
    assert second == first
