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
just after it; the figure per kind is the median of its rounds' ratios.  Each transfer
comes from an account that sent none before, so a transfer lost in one round cannot
spoil the sequences of the next.
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


def run(root: Path, rpc: str, procs: dict, senders: list, receivers: list[str], args, readers) -> dict:
    """Run the rounds; ``readers(kind)`` gives the viewers' argv for a loaded round."""
    from abci_app.domain.accounts.messages import Transfer
    from bench.loadgen import run_load

    pids = {name: p.pid for name, p in procs.items()}
    rounds, details = [], []
    for n, kind in enumerate(schedule(args.pairs)):
        keys = senders[n * args.load_txs:(n + 1) * args.load_txs]
        txs = [k.sign(Transfer(receivers[i % len(receivers)], 1)) for i, k in enumerate(keys)]
        load_average = os.getloadavg()[0]
        viewers = None if kind == ALONE else start_viewers(root, readers(kind))
        detail = {"round": kind, "load_average": round(load_average, 2)}
        try:
            detail["load"] = asyncio.run(run_load(rpc, txs, connections=4, pids=pids, transport="ws",
                                                  backpressure=BACKPRESSURE)).summary()
        except Exception as error:   # a failed round is reported and left out of the ratios
            detail["error"] = repr(error)
        detail["readers"] = None if viewers is None else stop_viewers(viewers)
        details.append(detail)
        rounds.append((kind, detail["load"]["tps"] if "load" in detail else None))
        print(f"bench-graphql: round {n + 1} {kind}: {detail.get('load', detail).get('tps', detail.get('error'))}",
              file=sys.stderr, flush=True)
    return {"rounds": details, "ratios": ratios(rounds)}


def start_viewers(root: Path, argv: list[str]) -> subprocess.Popen:
    process = web.spawn([sys.executable, "-m", "bench.graphql_viewers", *argv], root / "viewers.log",
                        stdout=subprocess.PIPE, stdin=subprocess.PIPE)
    time.sleep(3)   # connected, subscribed, first refreshes done
    return process


def stop_viewers(process: subprocess.Popen) -> dict:
    out, _ = process.communicate(b"stop\n", timeout=60)
    return json.loads(out.decode().strip().splitlines()[-1])
