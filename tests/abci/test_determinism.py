"""Determinism: the seeded transfer workload (``tests.abci.chain_driver``) replayed in two processes with
other hash seeds, time zones and locales gives the same app hash and result codes at every height
(the one driver: ``tests.support.determinism``)."""

from __future__ import annotations

import pytest

from tests.abci import chain_driver
from tests.support.determinism import outcomes, recorded, replay_elsewhere

BLOCKS = 50


@pytest.fixture(scope="module")
def workload_chain(tmp_path_factory):
    """A chain that ran the driver's seeded workload of ``BLOCKS`` blocks in this process."""
    chain = chain_driver.new_chain(tmp_path_factory.mktemp("determinism") / "here")
    for height, txs in enumerate(chain_driver.workload(7, BLOCKS), 1):
        chain.block(*txs, time=chain_driver.GENESIS_TIME + chain_driver.BLOCK_SECONDS * height)
    yield chain
    chain.close()


def test_two_processes_with_different_hash_seeds_agree_on_every_app_hash(tmp_path, workload_chain):
    replay_elsewhere(tmp_path, recorded(workload_chain), "tests.abci.chain_driver:new_chain",
                     expected=outcomes(workload_chain))


def test_the_determinism_workload_is_a_real_mix_of_valid_and_invalid_transactions(workload_chain):
    records = outcomes(workload_chain)
    codes = [tuple(c) for r in records for c in r["codes"]]
    assert len(codes) >= 200
    assert 0.4 < sum(c == ("", 0) for c in codes) / len(codes) < 0.9
    assert len(set(codes)) >= 6  # success plus several distinct rejection codes
    assert len({r["app_hash"] for r in records}) > BLOCKS // 2  # the state really moves
