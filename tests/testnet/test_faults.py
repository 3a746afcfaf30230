"""Fault stages on one shared 4-validator network under continuous load (run in file order).

Each stage perturbs the network, asserts its liveness window, then runs the hash
check on every live node.  Only the liveness windows of issue 5 are asserted as
wall-clock bounds; every other figure goes to ``build/testnet-figures.json``.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import time

import pytest

from abci_app.adapter.storage.store import Store
from tests.support import netgov
from tests.support.netcheck import check_acknowledged_exactly_once
from tests.support.netload import FLOOD_BATCH, flood, junk
from tests.support.waits import wait_for_quiet

pytestmark = pytest.mark.node

KILL_SECONDS = 60
STALL_LIMIT = 20.0
FLOOD, OVERSIZED = 50_000, 500   # 33 kB each: one costs the node as much as ~10 small ones
HALT_WINDOW = 6.0
# How CometBFT's handshake must catch up after each crash window (v0.38 replay modes).
REPLAY = {"finalize_block": "Replay last block using real app", "after_commit": "Replay last block using mock app"}   # seconds the halted chain is watched: 20 commit timeouts of 300 ms


def settle(net, what: str) -> None:
    """Hash check over every live node; also no node logged a panic or hash mismatch."""
    checked = net.checker.check(net.live())
    net.figures.setdefault("hash_checked_up_to", {})[what] = checked
    bad = {n.name: n.failure_lines()[:3] for n in net.nodes if n.failure_lines()}
    assert not bad, f"failure lines after {what}: {bad}"


def test_killing_one_validator_for_a_minute_under_load_keeps_the_chain_committing(faultnet):
    net = faultnet
    victim = net.validators[3]
    net.wait_all(5, 30)
    acked_before, start = net.load.count(), time.monotonic()
    victim.kill()
    net.byzantine = net.clone_validator(victim, "byz")   # a copy of a stopped validator, for the evidence stage
    time.sleep(KILL_SECONDS)
    stall = net.monitor.max_stall(start)
    victim.start()
    catch_up = net.wait_caught_up(victim, 60)
    net.figures["kill1_max_stall_s"] = round(stall, 2)
    net.figures["kill1_catch_up_s"] = round(catch_up, 2)
    net.figures["kill1_acked_while_down"] = net.load.count() - acked_before
    assert stall <= STALL_LIMIT
    assert net.load.count() > acked_before
    settle(net, "kill1")


def test_pausing_or_cutting_off_one_validator_for_10_seconds_it_is_back_at_the_tip_within_20_seconds(faultnet):
    net = faultnet
    node = net.validators[1]
    times, lags = [], []
    for fault in ("pause", "cut", "pause", "cut"):
        before = node.height()
        if fault == "pause":
            node.pause()
        else:
            net.cut(node)
            node.up = False
        time.sleep(10)
        if fault == "cut":   # really isolated: it cannot have committed on its own
            assert node.height() <= before + 1, "a cut-off node kept committing"
        lags.append(net.tip() - before)
        if fault == "pause":
            node.resume()
        else:
            net.heal(node)
            node.up = True
        times.append(round(net.wait_caught_up(node, 20), 2))
    net.figures["pause_cut_back_at_tip_s"] = times
    net.figures["pause_cut_blocks_missed"] = lags
    settle(net, "pause_cut")


def test_governance_changes_the_validator_set_at_h_plus_2_on_every_node_while_one_is_down(faultnet):
    net = faultnet
    down = net.validators[2]
    full = net.add_full_node().start()      # made a validator by governance below
    net.wait_caught_up(full, 120)
    node0 = net.validators[0].info.pub_key
    down.kill()
    changes = [((full.info.pub_key, 5),), ((node0, 13),), ((full.info.pub_key, 0), (node0, 10))]
    heights = []
    for updates in changes:
        before = netgov.validator_set(net.live()[0], net.tip())
        height = netgov.govern(net, *updates)
        heights.append((height, before, dict(updates)))
        net.wait_all(height + 2, 30)
    down.start()
    net.wait_caught_up(down, 60)
    for node in net.live():
        for height, before, updates in heights:
            assert netgov.updates_in(node, height) == updates
            assert netgov.validator_set(node, height + 1) == before, f"{node.name}: set changed before H+2"
            after = {k: v for k, v in {**before, **updates}.items() if v > 0}
            assert netgov.validator_set(node, height + 2) == after, f"{node.name}: set at H+2"
    added, removed = heights[0][0], heights[2][0]
    signed = _signed_heights(net.validators[0], full.info.pub_key, added + 2, removed + 2)
    assert signed, "the full node made validator by governance never signed a block"
    net.figures["governance_heights"] = [h for h, _, _ in heights]
    net.figures["governance_new_validator_signed_blocks"] = len(signed)
    settle(net, "governance")


def _signed_heights(node, pub_key_b64: str, first: int, last: int) -> list[int]:
    """Heights in ``[first, last)`` whose commit (in the next block) carries a signature of ``pub_key_b64``."""
    address = hashlib.sha256(base64.b64decode(pub_key_b64)).digest()[:20].hex().upper()
    out = []
    for height in range(first, last):
        signatures = node.rpc.block(height + 1)["block"]["last_commit"]["signatures"]
        if any(s["validator_address"] == address and s["block_id_flag"] == 2 for s in signatures):
            out.append(height)
    return out


def test_a_fifth_process_signing_with_a_copied_key_commits_evidence_without_a_fork(faultnet):
    net = faultnet
    byz = net.byzantine
    start_height = net.tip()
    byz.start()
    found = _wait_for_evidence(net, start_height, timeout=120)
    byz.kill()
    net.figures["evidence_blocks_after_double_signer_start"] = found - start_height
    net.wait_all(found, 30)   # every live node has executed the block that carries the evidence
    for node in net.live():
        items = node.rpc.abci_query("/validators/misbehavior")["value"]
        assert any(i["kind"] == "duplicate_vote" and i["validator"] for i in items), node.name
    events = net.live()[0].rpc.block_results(found).get("finalize_block_events") or []
    assert any(e["type"] == "validator_misbehavior" for e in events)
    settle(net, "double_signer")


def _wait_for_evidence(net, start: int, timeout: float) -> int:
    node, height, deadline = net.validators[0], start, time.monotonic() + timeout
    while time.monotonic() < deadline:
        if node.height() and node.height() >= height:
            if node.rpc.block(height)["block"]["evidence"]["evidence"]:
                return height
            height += 1
        else:
            time.sleep(0.3)
    raise AssertionError(f"no evidence committed between heights {start} and {height} within {timeout:g}s")


def test_an_app_restored_1_10_and_100_blocks_behind_replays_to_the_tip(faultnet):
    """A full node syncs the chain's history, stopping (fail points) at ``top - 100``, ``top - 10``, ``top - 1``
    and ``top`` to copy its LMDB; each copy put back replays from CometBFT's block store to ``top`` with the
    network's app hash; then the node runs on to the tip.  (Run after the stages above, the history is
    already there: nothing waits for 100 new blocks.)  The node is stopped after the stage."""
    net = faultnet
    top = max(net.tip() - 2, 102)
    full = net.add_full_node()
    copies = {}
    for behind in (100, 10, 1, 0):
        _run_to_fail_point(full, top - behind)
        if behind:
            copies[behind] = net.root / f"lmdb-{behind}"
            shutil.copytree(full.lmdb, copies[behind])
    expected = net.validators[0].rpc.block(top + 1)["block"]["header"]["app_hash"].upper()
    for behind, copy in copies.items():
        shutil.rmtree(full.lmdb)
        shutil.copytree(copy, full.lmdb)
        assert _store_committed(full.lmdb)[0] == top - behind
        net.figures[f"replay_{behind}_behind_s"] = _run_to_fail_point(full, top)
        assert _store_committed(full.lmdb) == (top, expected), f"{behind} behind: the replay ended elsewhere"
    full.start()
    net.wait_caught_up(full, 120)
    settle(net, "app_behind")
    full.kill()   # it has shown what it is for; the later stages need no sixth process


def _run_to_fail_point(node, height: int) -> float:
    """Start ``node`` with its app set to stop right after committing ``height``; return the seconds it took."""
    started = time.monotonic()
    node.start(app_env={"SAMEN_FAIL_POINT": f"after_commit@{height}"})
    assert node.app.wait(120) == 70, f"the app did not stop at its fail point (height {height})"
    took = round(time.monotonic() - started, 2)
    node.kill()
    node.forgive()
    return took


def _store_committed(path) -> tuple[int, str]:
    """The committed height and app hash (upper-case hex) of a stopped node's LMDB."""
    store = Store(path)
    try:
        committed = store.committed()
        return committed.height, committed.app_hash.hex().upper()
    finally:
        store.close()


@pytest.mark.parametrize("point", ["finalize_block", "after_commit"])
def test_the_app_killed_at_a_crash_point_restarts_with_an_equal_app_hash(faultnet, point):
    net = faultnet
    node = net.validators[1]
    node.kill()
    target = net.tip() + 3
    node.start(app_env={"SAMEN_FAIL_POINT": f"{point}@{target}"})
    assert node.app.wait(60) == 70
    node.kill()
    node.forgive()
    node.start()
    net.figures[f"crash_{point}_catch_up_s"] = round(net.wait_caught_up(node, 60), 2)
    assert REPLAY[point] in node.log_since_mark()     # the handshake took the path this crash window needs
    settle(net, f"crash_{point}")


@pytest.mark.parametrize("index", [0, 5])
def test_cometbft_killed_inside_its_commit_pipeline_restarts_with_an_equal_app_hash(faultnet, index):
    net = faultnet
    node = net.validators[1]
    node.kill()
    node.start(comet_env={"FAIL_TEST_INDEX": str(index)})
    assert node.comet.wait(60) != 0, "cometbft did not stop at its FAIL_TEST_INDEX point"
    node.forgive()
    node.up = False
    node.start_cometbft()   # the app kept running, as after a real CometBFT crash
    net.figures[f"fail_test_index_{index}_catch_up_s"] = round(net.wait_caught_up(node, 60), 2)
    settle(net, f"fail_test_index_{index}")


def test_a_flood_of_invalid_and_oversized_transactions_does_not_stop_valid_ones(faultnet):
    net = faultnet
    target = net.validators[0]
    txs = junk(FLOOD - OVERSIZED) + [b"\x0a" + os.urandom(33_000) for _ in range(OVERSIZED)]   # > max_tx_bytes
    acked, start = net.load.count(), time.monotonic()
    counts = flood(target.info.rpc_url, txs, deadline=start + 300, batch=FLOOD_BATCH)
    took = time.monotonic() - start
    net.figures["flood"] = {**counts, "seconds": round(took, 1), "per_s": round(counts["sent"] / took),
                            "max_stall_s": round(net.monitor.max_stall(start), 2),
                            "valid_acked_during": net.load.count() - acked}
    assert counts["sent"] == FLOOD and counts["accepted"] == 0
    assert counts["rejected"] >= FLOOD * 9 // 10, counts   # CheckTx really answered (almost) every one of them
    assert net.monitor.max_stall(start) <= STALL_LIMIT
    assert net.load.count() > acked
    settle(net, "flood")


def test_killing_two_of_four_halts_without_conflicting_blocks_and_one_restart_resumes(faultnet):
    net = faultnet
    a, b = net.validators[2], net.validators[3]
    a.kill()
    b.kill()
    frozen = wait_for_quiet(net.tip, quiet=3.0, timeout=30)   # a block already voted on may still commit
    time.sleep(HALT_WINDOW)                                  # the fault's duration: watch the halted chain
    assert net.tip() == frozen, "a block was committed without 2/3 of the power"
    started = time.monotonic()
    a.start()
    net.wait_all(frozen + 1, 30, [net.validators[0]])
    net.figures["quorum_loss_resume_s"] = round(time.monotonic() - started, 2)
    b.start()
    net.wait_caught_up(b, 60)
    settle(net, "kill2")


def test_a_rolling_restart_of_all_four_validators_keeps_one_chain(faultnet):
    net = faultnet
    times = []
    for node in net.validators:
        node.stop()
        node.start()
        times.append(round(net.wait_caught_up(node, 60), 2))
        net.wait_all((node.height() or 0) + 2, 30, [node])   # it commits again with the others before the next stops
    net.figures["rolling_restart_catch_up_s"] = times
    settle(net, "rolling")


def test_every_acknowledged_transaction_is_committed_exactly_once_on_every_node(faultnet):
    net = faultnet
    net.load.stop()
    assert len(net.load.acked) > 100
    check_acknowledged_exactly_once(net)
