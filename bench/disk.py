"""Live disk per block and per object at steady state, with and without retention (BENCHMARKS.md "Disk").

    python -m bench.disk [--blocks 3000] [--retain 100] [--objects 1000] [--tps-per-block 5] [--block-time 10ms]
    make bench-disk

For each setting (``retain_blocks = 0`` and ``= --retain``) a fresh single-validator home
(``samen testnet`` layout, evidence age ``EVIDENCE_BLOCKS``) runs two phases:

1. **objects**: ``--objects`` transfers to fresh addresses (each creates one account),
   then ``--retain`` + 20 idle blocks; the live LMDB growth divided by the new state
   entries is the app's bytes per object (state part, tree nodes included).
2. **steady**: ``--blocks`` blocks of ``--tps-per-block`` transfers among existing
   accounts (the state's size does not change), with ten checkpoints.

What is measured is *live* data, because neither store gives disk back at once: LMDB
reuses freed pages but never shrinks its file, and CometBFT's goleveldb frees deleted
blocks only when it compacts.  So:

* the app: ``samen_lmdb_live_bytes`` (every database's B-tree and overflow pages,
  ``Store.live_bytes``) at each checkpoint, next to the map's high-water mark, in two
  parts: ``state`` (latest state and retained versions) and ``records`` (block and
  transaction records, which retention does not prune);
* CometBFT: at each checkpoint the blocks it keeps (``latest - earliest + 1`` from
  ``/status``) and, the node stopped for a moment, the size of its databases compacted
  by ``cometbft experimental-compact-goleveldb`` (then restarted); the compacted
  ``blockstore.db + state.db`` divided by the blocks kept is its bytes per retained
  block (``tx_index.db`` is reported apart: ``retain_height`` does not prune it).

Prints one JSON document: the runs, each with its checkpoints (the curve) and figures.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import platform
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import httpx

from abci_app.adapter.settings import APP_TOML, Settings, render
from abci_app.adapter.storage.store import Store, pages_in_use
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.tools.client.rpc import RpcClient
from abci_app.tools.client.signer import Signer
from abci_app.tools.node import testnet_procs as procs
from abci_app.tools.node.cometbft import find_binary
from abci_app.tools.node.testnet import init_testnet

EVIDENCE_BLOCKS = 20   # genesis evidence age (the default 100000 would keep every block of a run)
CHAIN_ID = "samen-disk"
SENDER = Signer(hashlib.sha256(b"samen-bench-disk").digest())
RECIPIENTS = 20        # steady phase: transfers among this many existing accounts
CHECKPOINTS = 10
KEEP = False           # --keep: leave the node homes in /tmp for inspection
COMET_DBS = ("blockstore.db", "state.db", "tx_index.db", "evidence.db")


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def gauges(port: int) -> dict[str, float]:
    out = {}
    for line in httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5.0).text.splitlines():
        if line.startswith("samen_"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out


def lmdb_pages(node) -> dict[str, int]:
    """Live pages of each of the app's LMDB databases (read from this process; LMDB allows concurrent readers)."""
    store = Store(Path(node.home) / "data" / "samen", readonly=True)
    try:
        with store.env.begin() as txn:
            return {name.decode(): pages_in_use(txn.stat(db)) for name, db in store.dbs.items()}
    finally:
        store.close()


def checkpoint(node, rpc: RpcClient) -> dict:
    """One point of the curve: heights, the app's live and high-water LMDB bytes, CometBFT's kept blocks."""
    sync = rpc.status()["sync_info"]
    latest, earliest = int(sync["latest_block_height"]), int(sync["earliest_block_height"])
    g = gauges(node.rpc_port + 2)
    return {"height": latest, "cometbft_blocks_kept": latest - earliest + 1,
            "cometbft_files_bytes": sum(dir_bytes(Path(node.home) / "data" / db) for db in COMET_DBS),
            "lmdb_live_bytes": int(g.get('samen_lmdb_live_bytes{part="state"}', 0)),
            "lmdb_records_bytes": int(g.get('samen_lmdb_live_bytes{part="records"}', 0)),
            "lmdb_high_water_bytes": int(g.get("samen_lmdb_used_bytes", 0)),
            "app_oldest_height": int(g.get("samen_oldest_retained_height", 0)),
            "state_entries": int(g.get("samen_state_entries", 0)), "lmdb_pages": lmdb_pages(node)}


class Load:
    """Signed transfers from ``SENDER`` in sequence order."""

    def __init__(self, rpc: RpcClient) -> None:
        self.rpc, self.sequence = rpc, 0

    def send(self, to: str, amount: int = 1) -> None:
        self.rpc.broadcast_tx_async(SENDER.sign_tx(CHAIN_ID, self.sequence, Transfer(to, amount)))
        self.sequence += 1

    def blocks(self, count: int, per_block: int, recipients: list[str]) -> None:
        """``count`` blocks, ``per_block`` transfers each, round robin over ``recipients``."""
        start = self.rpc.height()
        while (height := self.rpc.height()) < start + count:
            for _ in range(per_block):
                self.send(recipients[self.sequence % len(recipients)])
            self.rpc.wait_for_height(height + 1, 30)


def fresh(n: int) -> str:
    return Signer(hashlib.sha256(b"samen-bench-disk-object-%d" % n).digest()).address


def objects_phase(node, rpc: RpcClient, load: Load, objects: int, idle: int) -> dict:
    """Create ``objects`` accounts, wait ``idle`` blocks; return the live bytes each new entry costs."""
    before = checkpoint(node, rpc)
    for start in range(0, objects, 100):
        for n in range(start, min(objects, start + 100)):
            load.send(fresh(n))
        rpc.wait_for_height(rpc.height() + 1, 30)
    deadline = time.monotonic() + 120
    while checkpoint(node, rpc)["state_entries"] < before["state_entries"] + objects:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the {objects} new accounts were not all committed within 120 s")
        rpc.wait_for_height(rpc.height() + 1, 30)
    rpc.wait_for_height(rpc.height() + idle, 60 + idle)
    after = checkpoint(node, rpc)
    entries = after["state_entries"] - before["state_entries"]
    return {"objects": entries, "idle_blocks": idle,
            "lmdb_live_bytes_per_object": round((after["lmdb_live_bytes"] - before["lmdb_live_bytes"]) / entries)}


def compacted(node) -> dict[str, int]:
    """Compact CometBFT's goleveldb databases of a stopped node and return their sizes.

    Run twice: goleveldb deletes the tables a compaction made obsolete only when the
    database is opened again.
    """
    for _ in range(2):
        subprocess.run([find_binary(), "experimental-compact-goleveldb", "--home", node.home], check=True,
                       capture_output=True, timeout=600)
    return {db: dir_bytes(Path(node.home) / "data" / db) for db in COMET_DBS}


def stop(node, comet) -> None:
    procs.stop_pid(comet.pid, signal.SIGTERM, 15)
    procs.stop_pid(int(procs.pid_path(node, "abci").read_text()), signal.SIGINT, 15)


def compacted_checkpoint(node, comet, rpc: RpcClient):
    """A checkpoint with CometBFT's compacted sizes: stop the node, compact, restart; return (point, cometbft)."""
    point = checkpoint(node, rpc)
    stop(node, comet)
    point["cometbft_compacted"] = compacted(node)
    procs.start_app(node)
    comet = procs.spawn(node, "cometbft")
    rpc.wait_for_height(point["height"] + 1, 60)
    return point, comet


def start(root: Path, retain: int, block_time: str):
    net = init_testnet(root / "net", 1, CHAIN_ID, 27400, block_time, accounts=((SENDER.address, 10**12),))
    node = net.nodes[0]
    home = Path(node.home)
    settings = dataclasses.replace(Settings.load(home), store_retain_blocks=retain)
    (home / APP_TOML).write_text(render(settings))
    genesis = home / "config" / "genesis.json"
    doc = json.loads(genesis.read_text())
    doc["consensus_params"]["evidence"]["max_age_num_blocks"] = str(EVIDENCE_BLOCKS)
    genesis.write_text(json.dumps(doc, indent=2))
    procs.start_app(node)
    return node, procs.spawn(node, "cometbft")


def run(blocks: int, retain: int, per_block: int, objects: int, block_time: str) -> dict:
    root = Path(tempfile.mkdtemp(prefix="sdisk", dir="/tmp"))
    try:
        node, comet = start(root, retain, block_time)
        rpc = RpcClient(node.rpc_url, timeout=10.0)
        rpc.wait_for_height(2, 60)
        load = Load(rpc)
        per_object = objects_phase(node, rpc, load, objects, max(retain, EVIDENCE_BLOCKS) + 20)
        recipients = [fresh(n) for n in range(RECIPIENTS)]
        point, comet = compacted_checkpoint(node, comet, rpc)
        curve = [point]
        for _ in range(CHECKPOINTS):
            load.blocks(blocks // CHECKPOINTS, per_block, recipients)
            point, comet = compacted_checkpoint(node, comet, rpc)
            curve.append(point)
        stop(node, comet)
        return {"retain_blocks": retain, "txs": load.sequence, **per_object, **figures(curve), "curve": curve}
    finally:
        if not KEEP:
            shutil.rmtree(root, ignore_errors=True)


def figures(curve: list[dict]) -> dict:
    """Per-block figures of the steady phase (second half of the curve) and CometBFT's compacted bytes."""
    middle, end = curve[len(curve) // 2], curve[-1]
    span = end["height"] - middle["height"]
    kept, dbs = end["cometbft_blocks_kept"], end["cometbft_compacted"]
    grown = {db: round((dbs[db] - middle["cometbft_compacted"][db]) / span) for db in COMET_DBS}
    return {"blocks": end["height"],
            "lmdb_live_growth_per_block": round((end["lmdb_live_bytes"] - middle["lmdb_live_bytes"]) / span),
            "lmdb_records_growth_per_block": round((end["lmdb_records_bytes"] - middle["lmdb_records_bytes"]) / span),
            "cometbft_kept_growth_per_block": round((end["cometbft_blocks_kept"] - middle["cometbft_blocks_kept"])
                                                    / span, 3),
            "cometbft_compacted": dbs, "cometbft_compacted_growth_per_block": grown,
            "cometbft_bytes_per_kept_block": round((dbs["blockstore.db"] + dbs["state.db"]) / kept),
            "tx_index_bytes_per_block": round(dbs["tx_index.db"] / end["height"])}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.disk")
    parser.add_argument("--blocks", type=int, default=3000, help="steady-phase blocks")
    parser.add_argument("--retain", type=int, default=100)
    parser.add_argument("--objects", type=int, default=1000)
    parser.add_argument("--tps-per-block", type=int, default=5)
    parser.add_argument("--block-time", default="10ms", help="timeout_commit")
    parser.add_argument("--out", type=Path, help="also write the JSON document here")
    parser.add_argument("--only-retained", action="store_true", help="skip the keep-every-block run")
    parser.add_argument("--keep", action="store_true", help="leave the node homes (/tmp/sdisk*) for inspection")
    args = parser.parse_args()
    global KEEP
    KEEP = args.keep
    settings = (args.retain,) if args.only_retained else (0, args.retain)
    rows = [run(args.blocks, retain, args.tps_per_block, args.objects, args.block_time) for retain in settings]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    text = json.dumps({"commit": commit, "machine": platform.platform(), "args": vars(args) | {"out": None},
                       "runs": rows}, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
