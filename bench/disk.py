"""Disk per block at steady state, with and without block retention (BENCHMARKS.md "Disk per block").

    python -m bench.disk [--blocks 400] [--retain 50] [--tps-per-block 5] [--block-time 100ms]

For each setting (``retain_blocks = 0`` and ``= --retain``) a fresh single-validator home
(``samen testnet`` layout, 100 ms blocks, evidence age ``EVIDENCE_BLOCKS``) runs under a light load of transfers (one funded
sender, ``--tps-per-block`` a block) for ``--blocks`` blocks.  Between the middle and the
end of the run it measures the growth of CometBFT's stores (``data/*.db``) and of the
app's LMDB (``samen_lmdb_used_bytes``), per block, and the state's keys at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import platform
import shutil
import subprocess
import tempfile
import signal
from pathlib import Path

import httpx

from abci_app.adapter.settings import APP_TOML, Settings, render
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.tools.client.rpc import RpcClient
from abci_app.tools.client.signer import Signer
from abci_app.tools.node import testnet_procs as procs
from abci_app.tools.node.testnet import init_testnet

EVIDENCE_BLOCKS = 20   # genesis evidence age (default 100000 would hold every block of a short run)
SENDER = Signer(hashlib.sha256(b"samen-bench-disk").digest())


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def gauge(port: int, name: str) -> float:
    for line in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5.0).text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return 0.0


def measure(node, rpc: RpcClient) -> dict:
    data = Path(node.home) / "data"
    port = node.rpc_port + 2
    return {"height": rpc.height(), "cometbft_bytes": sum(dir_bytes(p) for p in data.glob("*.db")),
            "lmdb_bytes": gauge(port, "samen_lmdb_used_bytes"), "state_entries": gauge(port, "samen_state_entries")}


def run(blocks: int, retain: int, per_block: int, block_time: str = "100ms") -> dict:
    root = Path(tempfile.mkdtemp(prefix="sdisk", dir="/tmp"))
    try:
        net = init_testnet(root / "net", 1, "samen-disk", 27400, block_time, accounts=((SENDER.address, 10**12),))
        node = net.nodes[0]
        home = Path(node.home)
        settings = dataclasses.replace(Settings.load(home), store_retain_blocks=retain)
        (home / APP_TOML).write_text(render(settings))
        genesis = home / "config" / "genesis.json"
        doc = json.loads(genesis.read_text())
        doc["consensus_params"]["evidence"]["max_age_num_blocks"] = str(EVIDENCE_BLOCKS)
        genesis.write_text(json.dumps(doc, indent=2))
        procs.start_app(node)
        comet = procs.spawn(node, "cometbft")
        rpc = RpcClient(node.rpc_url, timeout=10.0)
        rpc.wait_for_height(2, 60)
        middle = None
        sequence = 0
        while (height := rpc.height()) < blocks:
            for _ in range(per_block):
                rpc.broadcast_tx_async(SENDER.sign_tx("samen-disk", sequence, Transfer(SENDER.address, 1)))
                sequence += 1
            rpc.wait_for_height(height + 1, 30)
            if middle is None and height >= blocks // 2:
                middle = measure(node, rpc)
        end = measure(node, rpc)
        procs.stop_pid(comet.pid, signal.SIGTERM, 15)
        procs.stop_pid(int(procs.pid_path(node, "abci").read_text()), signal.SIGINT, 15)
        span = end["height"] - middle["height"]
        return {"retain_blocks": retain, "blocks": end["height"], "txs": sequence,
                "cometbft_bytes_per_block": round((end["cometbft_bytes"] - middle["cometbft_bytes"]) / span),
                "lmdb_bytes_per_block": round((end["lmdb_bytes"] - middle["lmdb_bytes"]) / span),
                "cometbft_bytes_at_end": end["cometbft_bytes"], "lmdb_bytes_at_end": int(end["lmdb_bytes"]),
                "state_entries": int(end["state_entries"])}
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.disk")
    parser.add_argument("--blocks", type=int, default=400)
    parser.add_argument("--retain", type=int, default=50)
    parser.add_argument("--tps-per-block", type=int, default=5)
    parser.add_argument("--block-time", default="100ms", help="timeout_commit")
    args = parser.parse_args()
    rows = [run(args.blocks, retain, args.tps_per_block, args.block_time) for retain in (0, args.retain)]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    print(json.dumps({"commit": commit, "machine": platform.platform(), "runs": rows}, indent=2))


if __name__ == "__main__":
    main()
