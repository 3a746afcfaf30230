"""``samen testnet`` end to end: init, start, status, add-node (block sync), stop; real processes on loopback."""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from abci_app.tools.cli.main import main
from abci_app.tools.node import testnet, testnet_procs
from tests.support.testnet import free_base_port

pytestmark = pytest.mark.node


@pytest.fixture
def net_dir():
    root = Path(tempfile.mkdtemp(prefix="stc", dir="/tmp"))
    yield root / "net"
    if (root / "net" / testnet.MANIFEST).exists():
        for node in testnet.load(root / "net").nodes:
            testnet_procs.stop_node(node)
    shutil.rmtree(root, ignore_errors=True)


def status(directory: Path, capsys) -> dict:
    capsys.readouterr()
    main(["testnet", "status", str(directory), "-o", "json"])
    return json.loads(capsys.readouterr().out)


def wait_status(directory: Path, capsys, ok, timeout: float = 60.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        doc = status(directory, capsys)
        if ok(doc["nodes"]):
            return doc
        assert time.monotonic() < deadline, f"testnet not ready: {doc}"
        time.sleep(0.5)


def test_a_testnet_starts_agrees_on_its_app_hash_syncs_a_new_full_node_and_stops(net_dir, capsys):
    base = free_base_port(4)
    assert main(["testnet", "init", "--validators", "2", "--out", str(net_dir), "--base-port", str(base),
                 "--timeout-commit", "300ms"]) == 0
    genesis = {(net_dir / f"node{i}" / "config" / "genesis.json").read_text() for i in range(2)}
    assert len(genesis) == 1 and '"validators"' in genesis.pop()
    assert main(["testnet", "start", str(net_dir)]) == 0
    doc = wait_status(net_dir, capsys, lambda nodes: all(n.get("height", 0) >= 3 and n["peers"] == 1 for n in nodes))
    assert all(n["running"] and n["validator"] for n in doc["nodes"])
    assert main(["testnet", "add-node", str(net_dir)]) == 0
    assert main(["testnet", "start", str(net_dir), "--node", "node2"]) == 0
    doc = wait_status(net_dir, capsys, lambda nodes: nodes[2].get("height", 0) >= nodes[0].get("height", 0) - 1 >= 3
                      and not nodes[2]["catching_up"])
    assert doc["nodes"][2]["validator"] is False
    assert main(["testnet", "stop", str(net_dir)]) == 0
    for node in testnet.load(net_dir).nodes:
        assert testnet_procs.running_pid(node, "cometbft") is None and testnet_procs.running_pid(node, "abci") is None
    capsys.readouterr()
    assert main(["testnet", "status", str(net_dir), "-o", "json"]) == 1   # nothing answers any more


def test_init_refuses_an_existing_testnet_and_start_an_unknown_directory(net_dir, capsys):
    base = free_base_port(1)
    assert main(["testnet", "init", "--validators", "1", "--out", str(net_dir), "--base-port", str(base)]) == 0
    assert main(["testnet", "init", "--validators", "1", "--out", str(net_dir), "--base-port", str(base)]) == 1
    assert main(["testnet", "start", str(net_dir.parent / "nothing")]) == 1
    assert "error:" in capsys.readouterr().err
