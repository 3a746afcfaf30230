"""One 4-validator network shared by the fault stages of a module (they run in file order).

The ``faultnet`` fixture starts the network, a height monitor and the load, and
after the module stops them, writes the measured figures to
``build/testnet-figures.json`` and prints them, and removes every process and
file (also when a stage failed; then it prints each node's failure log lines).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from abci_app.tools.node.cometbft import patch_config
from tests.support.netcheck import HashChecker, Monitor
from tests.support.netload import FLOOD_BATCH, Load
from tests.support.testnet import FaultNet

FIGURES = Path(__file__).resolve().parents[2] / "build" / "testnet-figures.json"


@pytest.fixture(scope="module")
def faultnet():
    net = FaultNet(validators=4, timeout_commit="300ms")
    net.figures = {}
    net.checker = HashChecker()
    net.monitor = None
    net.load = None
    try:
        patch_config(net.validators[0].home / "config" / "config.toml",    # the flood stage's target
                     {("rpc", "max_request_batch_size"): FLOOD_BATCH})
        net.start()
        net.monitor = Monitor(net).start()
        net.load = Load(net).start()
        yield net
    finally:
        if net.load is not None:
            net.load.stop()
        if net.monitor is not None:
            net.monitor.stop()
        _report(net)
        net.cleanup()


def _report(net) -> None:
    for node in net.nodes:
        lines = node.failure_lines()
        if lines:
            print(f"----- {node.name}: {len(lines)} failure lines -----\n" + "\n".join(lines[:20]), file=sys.stderr)
    if net.load is not None:
        net.figures["acknowledged_txs"] = len(net.load.acked)
        net.figures["unacknowledged_attempts"] = net.load.unacknowledged
    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(json.dumps(net.figures, indent=2, sort_keys=True) + "\n")
    print("\ntestnet figures: " + json.dumps(net.figures, sort_keys=True), file=sys.stderr)
