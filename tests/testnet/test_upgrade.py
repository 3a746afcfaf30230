"""A governed software upgrade on one 4-validator loopback network under a stream of transfers (file order).

The stages share one network (``upgradenet``): a plan that is cancelled stops no one;
a plan that is not cancelled stops every node at exactly its height (committed H-1) with
the same line (a validator that had not yet received block H's commit when the others
stopped waits at H-1 instead, and its restart is refused by the same line); a node restarted
with the same software stays stopped; three nodes restarted with "the next version"
(``tests/support/upgrade_next.py``, loaded by ``SAMEN_UPGRADE_PLUGINS``) migrate once and
carry on; the fourth crashes after the migration, before Commit, and recovers with an
equal app hash; every acknowledged transfer is still there.

Every wait is for a condition of the chain or of the processes (a height reached, an app
exited, a validator with no peer left), never for a fixed time; a wait that times out
says what it waited for and where every validator was (``waiting``).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from abci_app.chain.domain.upgrades.messages import CancelUpgrade, ScheduleUpgrade
from abci_app.tools.node import testnet_procs as procs
from abci_app.adapter import upgrade_info
from abci_app.adapter.storage.store import Store
from tests.support import netgov, upgrade_next
from tests.support.netcheck import HashChecker, check_acknowledged_exactly_once
from tests.support.netload import Load
from abci_app.tools.client.rpc import WaitTimeout
from tests.support.procs import wait_for
from tests.support.testnet import FaultNet

pytestmark = pytest.mark.node

REPO = Path(__file__).resolve().parents[2]
NEXT = {"SAMEN_UPGRADE_PLUGINS": "tests.support.upgrade_next_plugin", "PYTHONPATH": str(REPO)}
NAME, VERSION = upgrade_next.NAME, upgrade_next.APP_VERSION
MIGRATED = f"upgrade {NAME}: migration ran at height"
COMMIT_STEP = "8"   # CometBFT's RoundStepCommit: the node holds +2/3 precommits for the block


@pytest.fixture(scope="module")
def upgradenet():
    net = FaultNet(validators=4, timeout_commit="300ms")
    net.checker = HashChecker()
    net.load = None
    try:
        net.start()
        net.load = Load(net).start()
        yield net
    finally:
        if net.load is not None:
            net.load.stop()
        net.cleanup()


def app_log(node) -> str:
    return procs.log_path(node.info, "abci").read_text(errors="replace")


def where(net) -> str:
    """Each validator's app (running or its exit code) and CometBFT's height and consensus step, for failures."""
    parts = []
    for node in net.validators:
        app = "running" if node.app is not None and node.app.poll() is None else \
            f"exited {None if node.app is None else node.app.returncode}"
        parts.append(f"{node.name}: app {app}, height {node.height()}, step {consensus_step(node)}")
    return "; ".join(parts)


def waiting(net, condition, timeout: float, what: str) -> None:
    """Wait for a chain or process condition; on timeout fail with what it waited for and where everyone was."""
    try:
        wait_for(condition, timeout, what)
    except WaitTimeout as exc:
        raise AssertionError(f"{exc}; {where(net)}") from None


def consensus_step(node) -> str:
    """CometBFT's ``height/round/step`` (``""`` when its RPC does not answer)."""
    try:
        return node.rpc.call("consensus_state", timeout=2.0)["round_state"]["height/round/step"]
    except Exception:   # noqa: BLE001 - a stopped node has no RPC: that is an answer here
        return ""


def peers(node) -> int | None:
    try:
        return int(node.rpc.call("net_info", timeout=2.0)["n_peers"])
    except Exception:   # noqa: BLE001
        return None


def settled_at_the_upgrade(net, node, height: int) -> bool:
    """Whether ``node`` has stopped for the upgrade, or provably never will: it has no peer left to send it
    block ``height``'s commit, has not committed ``height - 1``'s successor and is not in the commit step."""
    if node.app.poll() is not None:
        return True
    step = consensus_step(node)
    return (peers(node) == 0 and node.height() == height - 1 and step.startswith(f"{height}/")
            and step.rsplit("/", 1)[-1] != COMMIT_STEP)


def committed_height(node) -> int:
    store = Store(node.lmdb)
    try:
        return store.committed().height
    finally:
        store.close()


def test_a_cancelled_plan_stops_no_one_and_a_scheduled_one_stops_every_node_at_its_height(upgradenet):
    net = upgradenet
    net.wait_all(3, 30)
    cancelled_at = net.tip() + 40   # two proposals (8 transactions) pass well before it, even under load
    netgov.pass_proposal(net, "plan", ScheduleUpgrade("never", cancelled_at, "cancelled below"))
    now = net.tip()
    net.upgrade_height = max(cancelled_at + 4, now + 14)
    done = netgov.pass_proposal(net, "replan", CancelUpgrade("never"),
                                ScheduleUpgrade(NAME, net.upgrade_height, "tests/support/upgrade_next.py"))
    assert done < cancelled_at < net.upgrade_height, (done, cancelled_at, net.upgrade_height)
    plan = net.live()[0].rpc.abci_query("/upgrade")["value"]["plan"]
    assert plan == {"name": NAME, "height": net.upgrade_height, "info": "tests/support/upgrade_next.py"}
    net.acked_before = net.load.count()
    halted = lambda: [n for n in net.validators if n.app.poll() is not None]  # noqa: E731
    waiting(net, lambda: len(halted()) >= 3, 240,
            f"more than 2/3 of the apps to stop at the upgrade height {net.upgrade_height}")
    for node in halted():   # CometBFT exits with its app (ABCI client error); make sure none still gossips
        if node.comet is not None and node.comet.poll() is None:
            node.comet.terminate()
    # A validator that had not received block H's commit when the others stopped waits at H-1 for good.
    waiting(net, lambda: all(settled_at_the_upgrade(net, n, net.upgrade_height) for n in net.validators), 120,
            f"every validator to stop at height {net.upgrade_height} or to wait at {net.upgrade_height - 1} "
            f"with no peer left")
    stopped = halted()
    for node in net.validators:
        node.up = False
        node.stop(10)
        node.forgive()
    line = f"upgrade {NAME} needed at height {net.upgrade_height}"
    for node in net.validators:
        assert committed_height(node) == net.upgrade_height - 1, node.name
    for node in stopped:
        assert f"samen: {line}" in app_log(node), node.name
        info = json.loads(upgrade_info.path(node.home).read_text())
        assert (info["name"], info["height"], info["message"]) == (NAME, net.upgrade_height, line)
        assert node.app.returncode == upgrade_info.EXIT_CODE
    assert net.acked_before > 0


def test_a_node_restarted_without_the_new_software_stays_stopped_with_the_same_line(upgradenet):
    net = upgradenet
    node = net.validators[3]
    before = app_log(node).count(f"upgrade {NAME} needed")
    process = procs.spawn(node.info, "abci", {"SAMEN_FAIL_POINT": ""})
    assert process.wait(30) == upgrade_info.EXIT_CODE
    assert app_log(node).count(f"upgrade {NAME} needed") == before + 1
    assert committed_height(node) == net.upgrade_height - 1


def test_nodes_with_the_next_version_migrate_once_agree_and_the_stream_resumes(upgradenet):
    net = upgradenet
    height = net.upgrade_height
    for node in net.validators[:3]:
        node.start(app_env=NEXT)
    waiting(net, lambda: all((node.height() or 0) >= height + 3 for node in net.validators[:3]), 120,
            f"three validators with the next version to commit height {height + 3}")
    for node in net.validators[:3]:
        assert app_log(node).count(MIGRATED) == 1, node.name
        assert node.rpc.abci_info().get("app_version") == str(VERSION)
        assert node.rpc.abci_query("/upgrade")["value"]["applied"] == [{"name": NAME, "height": height}]
        header = node.rpc.block(height + 1)["block"]["header"]
        assert header["version"]["app"] == str(VERSION)
    events = [e["type"] for e in net.validators[0].rpc.block_results(height).get("finalize_block_events") or []]
    assert events[0] == "upgrade_applied"
    pub_key = base64.b64decode(net.validators[0].rpc.abci_query("/validators")["value"]["validators"][0]["pub_key"])
    raw = net.validators[0].rpc.call("abci_query", path="/store", data=(b"val/s/" + pub_key).hex())["response"]
    assert len(base64.b64decode(raw["value"])) == 8   # the next version's format of a validator power record
    resumed = net.load.count()
    waiting(net, lambda: net.load.count() > resumed + 5, 60, "the stream of transfers to resume (5 more acknowledged)")
    net.checker.check(net.validators[:3])


def test_a_crash_after_the_migration_before_commit_recovers_with_an_equal_app_hash(upgradenet):
    net = upgradenet
    node = net.validators[3]
    crash = {**NEXT, "SAMEN_FAIL_POINT": f"finalize_block@{net.upgrade_height}"}
    node.start_app(crash)
    node.start_cometbft()
    node.up = False
    waiting(net, lambda: node.app.poll() is not None, 120,
            f"{node.name}'s app to crash at its fail point, FinalizeBlock of height {net.upgrade_height}")
    node.stop(10)
    node.forgive()
    assert committed_height(node) == net.upgrade_height - 1   # the migration's writes died with the process
    node.start(app_env=NEXT)
    waiting(net, lambda: (node.height() or 0) >= (net.validators[0].height() or 1 << 62) - 1, 120,
            f"{node.name} to catch up with the others after its restart")
    assert node.rpc.abci_query("/upgrade")["value"]["applied"] == [{"name": NAME, "height": net.upgrade_height}]
    net.checker.check(net.validators)
    bad = {n.name: n.failure_lines()[:3] for n in net.validators if n.failure_lines()}
    assert not bad, bad


def test_every_transfer_acknowledged_before_and_after_the_upgrade_is_on_the_chain(upgradenet):
    net = upgradenet
    net.load.stop()
    assert net.load.count() > net.acked_before
    check_acknowledged_exactly_once(net)
