"""The long fault runs (``make soak``): many rounds of every fault on one 4-validator network under load.

Bounded by ``SAMEN_SOAK_SECONDS`` (default 1800): rounds start only while time is
left, and each round is itself bounded by its liveness windows.
"""

from __future__ import annotations

import os
import time

import pytest

from tests.support.netcheck import check_acknowledged_exactly_once
from tests.testnet.test_faults import STALL_LIMIT, settle

pytestmark = [pytest.mark.node, pytest.mark.soak]

SOAK_SECONDS = float(os.environ.get("SAMEN_SOAK_SECONDS", "1800"))


@pytest.mark.timeout(SOAK_SECONDS + 900)   # the suite-wide 600 s limit is for ordinary tests
def test_many_rounds_of_kills_pauses_cuts_crashes_and_restarts_keep_one_chain_and_every_acknowledged_tx(faultnet):
    net = faultnet
    deadline = time.monotonic() + SOAK_SECONDS
    stalls, catch_ups, back, rounds = [], [], [], 0
    while time.monotonic() < deadline - 300:
        for node in net.validators:
            start = time.monotonic()
            node.kill()
            time.sleep(60)
            stalls.append(net.monitor.max_stall(start))
            node.start()
            catch_ups.append(net.wait_caught_up(node, 60))
            for fault in ("pause", "cut") * 3:
                _pause_or_cut(net, node, fault)
                back.append(net.wait_caught_up(node, 20))
            for index in range(0, 16, 3):
                _fail_test_index(net, node, index)
            settle(net, f"soak_round_{rounds}_{node.name}")
        rounds += 1
    net.figures["soak"] = {"rounds": rounds, "max_stall_s": round(max(stalls or [0]), 2),
                           "max_catch_up_s": round(max(catch_ups or [0]), 2),
                           "max_back_at_tip_s": round(max(back or [0]), 2)}
    assert rounds >= 1 and max(stalls) <= STALL_LIMIT
    net.load.stop()
    check_acknowledged_exactly_once(net)


def _pause_or_cut(net, node, fault: str) -> None:
    if fault == "pause":
        node.pause()
        time.sleep(10)
        node.resume()
    else:
        net.cut(node)
        node.up = False
        time.sleep(10)
        net.heal(node)
        node.up = True


def _fail_test_index(net, node, index: int) -> None:
    node.kill()
    node.start(comet_env={"FAIL_TEST_INDEX": str(index)})
    assert node.comet.wait(60) != 0
    node.forgive()
    node.up = False
    node.start_cometbft()
    net.wait_caught_up(node, 60)
