"""Crash windows: a crash inside FinalizeBlock, or after the LMDB commit but before the
Commit answer, recovers (by CometBFT's replay) with an equal app hash at every height;
InitChain sent again after a restart before the first Commit works.

Two ways to crash: a real process death (``os._exit`` through the real
``abci_app.adapter.faults.FailPoint`` in ``tests.abci.chain_driver``), and in-process, a
fail point that raises so the test can drop the app and reopen the store.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.adapter.faults import FailPoint
from tests.abci import chain_driver
from tests.abci.helpers import committed_view
from tests.support.chain import TestChain, key, ok

REPO = Path(__file__).resolve().parents[2]
BLOCKS = 12
SEED = 11
ALICE, BOB = key(1), key(2)


def reference_hashes(tmp_path) -> dict[int, str]:
    """App hash per height of an uninterrupted run of the driver's workload."""
    out = io.StringIO()
    chain_driver.run(tmp_path / "reference", BLOCKS, SEED, out=out)
    return {r["height"]: r["app_hash"] for r in map(json.loads, out.getvalue().splitlines()) if "height" in r}


def drive(store: Path, fail_point: str = "") -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "tests.abci.chain_driver", "--store", str(store),
            "--blocks", str(BLOCKS), "--seed", str(SEED), "--fail-point", fail_point]
    return subprocess.run(args, cwd=REPO, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("fail_point", ["finalize_block@1", "finalize_block@7", "after_commit@1", "after_commit@7"])
def test_a_killed_app_resumes_by_replay_with_equal_app_hashes(tmp_path, fail_point):
    expected = reference_hashes(tmp_path)
    store = tmp_path / "crashing"
    crashed = drive(store, fail_point)
    assert crashed.returncode == 70, crashed.stderr  # FailPoint's exit status: it really died there
    point, crash_height = fail_point.split("@")
    resumed = drive(store)
    assert resumed.returncode == 0, resumed.stderr
    records = [json.loads(line) for line in crashed.stdout.splitlines() + resumed.stdout.splitlines()]
    start = [r for r in records if "resumed" in r][-1]
    survived = int(crash_height) if point == "after_commit" else int(crash_height) - 1
    assert start["resumed"] == survived  # Info after restart: the last height whose LMDB commit finished
    got = {r["height"]: r["app_hash"] for r in records if "height" in r}
    if point == "after_commit":  # the crash came before the driver could print that height
        got[survived] = start["app_hash"]
    assert got == expected


class Crash(Exception):
    """Stands for the process dying at a fail point."""


class RaisingFailPoint(FailPoint):
    def hit(self, point: str, height: int) -> None:
        if self.point == point and self.height == height:
            raise Crash(f"{point}@{height}")


def transfers(chain, n: int, start: int = 0) -> list[bytes]:
    return [ALICE.sign_tx(chain.chain_id, start + i, Transfer(BOB.address, 10 + i)) for i in range(n)]


def make_chains(tmp_path) -> tuple[TestChain, TestChain]:
    balances = {ALICE: 1_000_000, BOB: 1_000}
    return TestChain(tmp_path / "crash", balances=balances), TestChain(tmp_path / "ref", balances=balances)


def test_a_crash_inside_finalize_block_leaves_the_last_commit_and_replays_to_the_same_hash(tmp_path):
    chain, reference = make_chains(tmp_path)
    for c in (chain, reference):
        ok(c.block(*transfers(c, 2)))
    before = committed_view(chain)
    chain.app.fail_point = RaisingFailPoint("finalize_block", 2)
    with pytest.raises(Crash):
        chain.finalize(*transfers(chain, 3, start=2))
    chain.reopen()
    assert committed_view(chain) == before  # nothing of block 2 reached LMDB
    replayed = ok(chain.block(*transfers(chain, 3, start=2), time=reference.time + 5))
    expected = ok(reference.block(*transfers(reference, 3, start=2)))
    assert replayed.app_hash == expected.app_hash
    assert committed_view(chain) == committed_view(reference)


def test_a_crash_after_the_lmdb_commit_before_the_commit_answer_keeps_the_block(tmp_path):
    chain, reference = make_chains(tmp_path)
    ok(chain.block(*transfers(chain, 1)))
    ok(reference.block(*transfers(reference, 1)))
    chain.app.fail_point = RaisingFailPoint("after_commit", 2)
    finalized = ok(chain.finalize(*transfers(chain, 2, start=1)))
    with pytest.raises(Crash):
        chain.app.commit()
    chain.reopen()
    expected = ok(reference.block(*transfers(reference, 2, start=1)))
    assert chain.app.info() == (2, finalized.app_hash) == (2, expected.app_hash)
    assert committed_view(chain) == committed_view(reference)
    # CometBFT saw no Commit answer but had saved the FinalizeBlock response: it moves on to height 3.
    next_block = ok(chain.block(*transfers(chain, 1, start=3), time=reference.time + 5))
    assert next_block.app_hash == ok(reference.block(*transfers(reference, 1, start=3))).app_hash


def test_init_chain_sent_again_after_a_restart_before_the_first_commit_works(tmp_path):
    chain, reference = make_chains(tmp_path)
    first_hash = chain.genesis_hash
    chain.reopen()  # the node stopped after InitChain, before the first Commit
    assert chain.app.info() == (0, b"")
    again = chain.app.init_chain(chain.chain_id, json.dumps(chain.genesis_doc).encode())
    assert again == first_hash == reference.genesis_hash
    got = ok(chain.block(*transfers(chain, 2)))
    assert got.app_hash == ok(reference.block(*transfers(reference, 2))).app_hash
    assert committed_view(chain) == committed_view(reference)


def test_init_chain_twice_in_one_process_starts_over_from_genesis(tmp_path):
    chain, reference = make_chains(tmp_path)
    assert chain.check(transfers(chain, 1)[0]).ok  # leaves a pending sequence in the check state
    again = chain.app.init_chain(chain.chain_id, json.dumps(chain.genesis_doc).encode())
    assert again == reference.genesis_hash
    assert chain.check(transfers(chain, 1)[0]).ok  # the check state started over too
    got = ok(chain.block(*transfers(chain, 1)))
    assert got.app_hash == ok(reference.block(*transfers(reference, 1))).app_hash


def test_a_crash_inside_the_first_finalize_block_replays_from_init_chain(tmp_path):
    chain, reference = make_chains(tmp_path)
    chain.app.fail_point = RaisingFailPoint("finalize_block", 1)
    with pytest.raises(Crash):
        chain.finalize(*transfers(chain, 2))
    chain.reopen()
    assert chain.app.info() == (0, b"")
    chain.app.init_chain(chain.chain_id, json.dumps(chain.genesis_doc).encode())
    got = ok(chain.block(*transfers(chain, 2), time=reference.time + 5))
    assert got.app_hash == ok(reference.block(*transfers(reference, 2))).app_hash
    assert committed_view(chain) == committed_view(reference)
