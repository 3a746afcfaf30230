"""Phase 3 of ``bench.graphql``: committed transactions per second with and without GraphQL readers.

Rounds of ``load_txs`` signed transfers (``bench.loadgen.run_load`` over 4 pipelined
websocket connections, as fast as the node accepts, pausing while its mempool of 5,000
holds ``BACKPRESSURE`` or more, so nothing is dropped) alternate with rounds under a read
load, so a change in the machine's load shows in the rounds alone on both sides:

    alone, dashboard, alone, hammer, alone, dashboard, alone, hammer, ... , alone

* ``dashboard`` (the documented "under load"): ``viewers`` dashboard viewers
  (``bench.graphql_viewers``: each refreshes its three sections on every new block);
* ``hammer``: ``hammer`` clients sending the three queries without pause.

A loaded round's ratio is its rate over the mean of the rounds alone just before and
just after it; the figure per kind is the median of its rounds' ratios.  Every round
sends one transfer from each of the same ``load_txs`` accounts; when a round commits
fewer than it sent (a transfer dropped at a full mempool), the accounts' sequences are
read back from the node's state before the next round.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench import graphql_http as web

ALONE = "alone"
BACKPRESSURE = 3_000


def schedule(pairs: int) -> list[str]:
    """Return the rounds: ``alone`` first and last and between every two loaded rounds."""
    rounds = [ALONE]
    for _ in range(pairs):
        rounds += ["dashboard", ALONE, "hammer", ALONE]
    return rounds


def ratios(rounds: list[tuple[str, float | None]]) -> dict[str, dict]:
    """Return, per loaded kind, each round's rate over the mean of its neighbouring rounds alone, and the median.

    A round whose rate is ``None`` (it failed) gives no ratio, nor do the loaded rounds beside it.
    """
    out: dict[str, dict] = {}
    for i, (kind, tps) in enumerate(rounds):
        if kind == ALONE or i == 0 or i == len(rounds) - 1:
            continue
        before, after = rounds[i - 1][1], rounds[i + 1][1]
        if None in (tps, before, after):
            continue
        mean = (before + after) / 2
        out.setdefault(kind, {"rounds": []})["rounds"].append(round(tps / mean, 3) if mean else 0.0)
    for entry in out.values():
        entry["median"] = round(statistics.median(entry["rounds"]), 3)
    return out


def run(root: Path, node: dict, senders: list, receivers: list[str], args, readers) -> dict:
    """Run the rounds against ``node`` (``rpc``, ``procs``, ``store``: its LMDB directory);
    ``readers(kind)`` gives the viewers' argv for a loaded round."""
    rounds = Rounds(root, node, senders, receivers, args, readers)
    for n, kind in enumerate(schedule(args.pairs)):
        rounds.one(n, kind)
    return {"rounds": rounds.details, "ratios": ratios(rounds.rates)}


class Rounds:
    def __init__(self, root: Path, node: dict, senders: list, receivers: list[str], args, readers) -> None:
        self.root, self.node, self.senders, self.receivers = root, node, senders, receivers
        self.args, self.readers = args, readers
        self.pids = {name: p.pid for name, p in node["procs"].items()}
        self.details: list[dict] = []
        self.rates: list[tuple[str, float | None]] = []

    def one(self, n: int, kind: str) -> None:
        """Send one transfer from every sender, under ``kind``'s readers; record the rate."""
        from abci_app.chain.domain.accounts.messages import Transfer
        from bench.loadgen import run_load

        txs = [k.sign(Transfer(self.receivers[i % len(self.receivers)], 1)) for i, k in enumerate(self.senders)]
        detail = {"round": kind, "load_average": round(os.getloadavg()[0], 2)}
        viewers = None if kind == ALONE else start_viewers(self.root, self.readers(kind))
        try:
            detail["load"] = asyncio.run(run_load(self.node["rpc"], txs, connections=4, pids=self.pids,
                                                  transport="ws", backpressure=BACKPRESSURE)).summary()
        except Exception as error:   # a failed round is reported and left out of the ratios
            detail["error"] = repr(error)
        detail["readers"] = None if viewers is None else stop_viewers(viewers)
        self.details.append(detail)
        self.rates.append((kind, detail["load"]["tps"] if "load" in detail else None))
        if detail.get("load", {}).get("committed") != len(txs):
            detail["resynced"] = resync(self.node["store"], self.senders)
        shown = detail["load"]["tps"] if "load" in detail else detail["error"]
        print(f"bench-graphql: round {n + 1} {kind}: {shown}", file=sys.stderr, flush=True)


def resync(store_dir: Path, keys: list, settle: float = 2.0) -> int:
    """Set each key's next sequence to its account's committed one (after ``settle`` seconds, for a
    last block to commit); return how many changed."""
    from abci_app.chain.domain.accounts import state as accounts
    from abci_app.adapter.storage.store import Store

    time.sleep(settle)
    store = Store(store_dir, readonly=True, map_size=64 << 30)
    changed = 0
    try:
        txn = store.read_txn()
        state = store.snapshot(txn)
        for key in keys:
            account = accounts.get(state, key.address)
            sequence = account.sequence if account is not None else 0
            changed += sequence != key.sequence
            key.sequence = sequence
        txn.abort()
    finally:
        store.close()
    return changed


def start_viewers(root: Path, argv: list[str]) -> subprocess.Popen:
    process = web.spawn([sys.executable, "-m", "bench.graphql_viewers", *argv], root / "viewers.log",
                        stdout=subprocess.PIPE, stdin=subprocess.PIPE)
    time.sleep(3)   # connected, subscribed, first refreshes done
    return process


def stop_viewers(process: subprocess.Popen) -> dict:
    out, _ = process.communicate(b"stop\n", timeout=60)
    return json.loads(out.decode().strip().splitlines()[-1])
