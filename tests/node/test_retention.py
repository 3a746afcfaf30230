"""Bounded disk on a real node: with a small retention, CometBFT's block store and the app's versions stop
growing over a few hundred fast blocks, and a fresh node still joins by state sync.

Figures (blocks kept, bytes of the block store and of the LMDB at two heights) go to
``build/retention-figures.json`` for BENCHMARKS.md.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from abci_app.tools.node.cometbft import patch_config
from abci_app.tools.node.home import genesis_path
from tests.state.test_state_sync import app_log, enable_state_sync, set_app
from tests.support.testnet import FaultNet

pytestmark = pytest.mark.node

RETAIN = 40
EVIDENCE = 20
INTERVAL = 25
FIRST, SECOND = 150, 300
FIGURES = Path(__file__).resolve().parents[2] / "build" / "retention-figures.json"


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def app_gauge(node, name: str) -> int:
    port = node.info.rpc_port + 2   # the app's metrics port (testnet layout: base + 10i + 3)
    for line in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5.0).text.splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    raise AssertionError(f"{name} not served")


def sample(node) -> dict:
    status = node.rpc.call("status")["sync_info"]
    data = node.home / "data"
    return {"latest": int(status["latest_block_height"]), "earliest": int(status["earliest_block_height"]),
            "oldest_version": app_gauge(node, "samen_oldest_retained_height"),
            "blockstore_bytes": du(data / "blockstore.db"), "lmdb_bytes": app_gauge(node, "samen_lmdb_used_bytes")}


@pytest.fixture(scope="module")
def net():
    network = FaultNet(validators=1, timeout_commit="10ms")
    try:
        node = network.validators[0]
        set_app(node.home, store_retain_blocks=RETAIN, snapshot_interval=INTERVAL, snapshot_keep_recent=2)
        doc = json.loads(genesis_path(node.home).read_text())
        doc["consensus_params"]["evidence"]["max_age_num_blocks"] = str(EVIDENCE)
        genesis_path(node.home).write_text(json.dumps(doc, indent=2))
        node.start()
        network.wait_all(2, 60)
        yield network
    finally:
        network.cleanup()


def test_the_block_store_and_the_app_versions_stop_growing_and_a_new_node_joins_by_state_sync(net):
    node = net.validators[0]
    net.wait_all(FIRST, 120)
    first = sample(node)
    net.wait_all(SECOND, 120)
    second = sample(node)
    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(json.dumps({"retain_blocks": RETAIN, "first": first, "second": second}, indent=2) + "\n")
    bound = RETAIN + INTERVAL + 2   # the window, plus blocks held for the oldest of two snapshots
    for s in (first, second):
        assert s["earliest"] > 1 and s["latest"] - s["earliest"] <= bound, s
        assert s["latest"] - s["oldest_version"] <= bound, s
    assert second["earliest"] > first["earliest"] and second["oldest_version"] > first["oldest_version"]
    full = join(net, node)
    assert full.height() >= second["latest"]


def join(net, node):
    """A fresh full node restores a snapshot (trusting a recent, retained header) and follows the chain.

    The validator first slows to one block a second (a restart with another ``timeout_commit``), so
    the trusted header stays retained while the new node starts (at 10 ms the window is ~1 s).
    """
    before = node.height()
    node.stop()
    patch_config(node.home / "config" / "config.toml", {("consensus", "timeout_commit"): "1s"})
    node.start()
    net.wait_all(before + 1, 60)
    tip = node.height()
    trust = node.rpc.block(tip - 2)
    full = net.add_full_node()
    enable_state_sync(full, [node.info.rpc_url, node.info.rpc_url], tip - 2, trust["block_id"]["hash"])
    full.start()
    deadline = time.monotonic() + 120
    while "restored:" not in app_log(full):
        assert time.monotonic() < deadline, "no snapshot restored in time:\n" + app_log(full)[-3000:]
        assert full.running(), "the fresh node stopped:\n" + app_log(full)[-3000:]
        time.sleep(0.5)
    net.wait_caught_up(full, 60)
    return full
