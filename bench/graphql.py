"""GraphQL benchmark (``make bench-graphql``): three dashboard queries at 100,000 agreements, next to abci_query.

    python -m bench.graphql [--agreements 100000] [--requests 1000] [--concurrency 4] [--viewers 4] [--rebuild]

Phase 1, large state (``bench.graphql_state``): at least ``--agreements`` agreements made
by signed transactions through ``LedgerApp`` FinalizeBlock + Commit, so state, records
and secondary indexes are what a node writes; cached under ``build/bench-graphql``
(keyed by the parameters and the source), ``--rebuild`` builds it again.
``python -m graphql_api`` serves it as a separate process (response cache off, CPU
priority not lowered: the figures are the cost of answering) and the dashboard queries
of ``bench.graphql_queries`` are measured: ``--requests`` requests after a warm-up,
``--concurrency`` in flight, keep-alive HTTP on loopback; requests/s, p50 and p99.

Phase 2, same machine, same run: the built state is exported (``samen export``'s format)
as the genesis of a real single-validator node (cometbft + the app, 1 s blocks), whose
GraphQL server runs as ``samen start`` runs it (CPU priority lowered by ``[graphql]
nice``, 10).  The same agreement and account are read through CometBFT's ``abci_query``
and through GraphQL.

Phase 3, on that node (``bench.graphql_throughput``): committed transactions per second
for ``--load-txs`` signed transfers per round, rounds alone alternating with rounds under
the dashboard load (``--viewers`` dashboard viewers, ``bench.graphql_viewers``) and under
``--hammer`` clients querying without pause, ``--pairs`` of each; each loaded round is
compared with the rounds alone on either side of it.  The readers' client process runs
at the lowest CPU priority (``--readers-nice``): it stands in for browsers on other
machines; its CPU time is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import graphql_http as web
from bench import graphql_throughput as rounds
from bench.graphql_queries import ACCOUNT, AGGREGATES, ONE_OBJECT, PAGE, PAGE_ALL, Variables, spread_index
from bench.graphql_state import CHAIN_ID, Actors, Shape, cached

CACHE = Path(__file__).resolve().parent.parent / "build" / "bench-graphql"


def phase_large_state(root: Path, shape: Shape, actors: Actors, args) -> tuple[Path, dict]:
    home, built = cached(shape, CACHE, args.rebuild, progress=lambda line: print(line, file=sys.stderr, flush=True))
    process, url = web.start_graphql(home, root, "http://127.0.0.1:9", nice=0)
    v = variables(shape, actors)
    run = lambda query, variables, rows=None: asyncio.run(web.measure(  # noqa: E731
        web.graphql_sender(url, query, variables, rows), args.requests, args.concurrency))
    try:
        results = {"one_object": run(ONE_OBJECT, v.one_object),
                   "page_of_100_by_party": run(PAGE, v.page, 100),
                   "page_of_100_all": run(PAGE_ALL, v.page_all, 100),
                   "aggregates": run(AGGREGATES, v.aggregates)}
    finally:
        web.stop(process)
    return home, {"state": built, "graphql": results}


def variables(shape: Shape, actors: Actors) -> Variables:
    return Variables(shape.agreements, tuple(k.address for k in actors.requesters))


def export_genesis(home: Path, node_home: Path, height: int) -> dict:
    """Write the built state at ``height`` as the app_state of ``node_home``'s genesis (as ``samen export``)."""
    from abci_app.adapter.storage.export import export_state
    from abci_app.adapter.storage.store import Store

    started = time.perf_counter()
    store = Store(home / "data" / "samen", readonly=True, map_size=64 << 30)
    try:
        app_state = export_state(store, height)
    finally:
        store.close()
    path = node_home / "config" / "genesis.json"
    doc = json.loads(path.read_text())
    doc["app_state"], doc["app_hash"] = app_state, ""
    path.write_text(json.dumps(doc))
    return {"keys": len(app_state["samen_state"]["entries"]), "genesis_mb": round(path.stat().st_size / 1e6, 1),
            "export_seconds": round(time.perf_counter() - started, 1)}


def start_node(root: Path, built_home: Path, built: dict):
    """Init a node home on the exported state and start the app, CometBFT and GraphQL; return them."""
    from abci_app.tools.node.cometbft import find_binary
    from abci_app.tools.node.home import NodeOptions, init_home, socket_path

    home, rpc_port = root / "node", web.free_port()
    init_home(home, NodeOptions(chain_id=CHAIN_ID, rpc_port=rpc_port, p2p_port=web.free_port(),
                                timeout_commit="1s", graphql_port=web.free_port()))
    exported = export_genesis(built_home, home, built["height"])
    rpc = f"http://127.0.0.1:{rpc_port}"
    started = time.perf_counter()
    app = web.spawn([sys.executable, "-m", "abci_app", "--home", str(home)], root / "abci.log")
    procs = {"abci": app}
    deadline = time.monotonic() + 60
    while not socket_path(home).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    procs["cometbft"] = web.spawn([find_binary(), "start", "--home", str(home)], root / "cometbft.log")
    web.wait_http(f"{rpc}/status", 1800, procs["cometbft"])
    _wait_height(rpc, 2, 600)
    exported["start_seconds"] = round(time.perf_counter() - started, 1)
    procs["graphql"], url = web.start_graphql(home, root, rpc)
    return procs, rpc, url, exported


def _wait_height(rpc: str, height: int, timeout: float) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = httpx.get(f"{rpc}/status", timeout=10).json()["result"]["sync_info"]
        if int(status["latest_block_height"]) >= height:
            return
        time.sleep(0.5)
    raise TimeoutError(f"the node did not reach height {height} within {timeout:g}s")


def phase_real_node(root: Path, built_home: Path, built: dict, shape: Shape, actors: Actors, args) -> dict:
    procs, rpc, url, exported = start_node(root, built_home, built)
    v = variables(shape, actors)
    agreement = lambda i: f"/agreement/{1 + spread_index(i, shape.agreements)}"  # noqa: E731
    account = lambda i: {"id": actors.idle[spread_index(i, len(actors.idle))].address}  # noqa: E731
    run = lambda send: asyncio.run(web.measure(send, args.requests, args.concurrency))  # noqa: E731
    try:
        report = {"node": exported,
                  "abci_query_agreement": run(web.abci_sender(rpc, agreement)),
                  "graphql_agreement": run(web.graphql_sender(url, ONE_OBJECT, v.one_object)),
                  "abci_query_account": run(web.abci_sender(rpc, lambda i: "/account/" + account(i)["id"])),
                  "graphql_account": run(web.graphql_sender(url, ACCOUNT, account))}
        receivers = [k.address for k in actors.requesters]
        node = {"rpc": rpc, "procs": procs, "store": root / "node" / "data" / "samen"}
        report["throughput"] = rounds.run(root, node, actors.idle, receivers, args, viewers_argv(url, shape, args))
        return report
    finally:
        for name in ("graphql", "cometbft", "abci"):
            web.stop(procs.get(name))


def viewers_argv(url: str, shape: Shape, args):
    """Return ``readers(kind)``: the argv of ``bench.graphql_viewers`` for a loaded round."""
    def readers(kind: str) -> list[str]:
        clients = args.viewers if kind == "dashboard" else args.hammer
        return ["--url", url, "--mode", kind, "--clients", str(clients), "--agreements", str(shape.agreements),
                "--requesters", str(shape.requesters), "--seconds", "600", "--nice", str(args.readers_nice)]
    return readers


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform(),
            "commit": _git("rev-parse", "--short", "HEAD") + ("-dirty" if _git("status", "--porcelain") else "")}


def _git(*argv: str) -> str:
    done = subprocess.run(["git", *argv], capture_output=True, text=True, cwd=Path(__file__).parent)
    return done.stdout.strip()


def parse(argv: list[str] | None):
    parser = argparse.ArgumentParser(prog="python -m bench.graphql", description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=Shape.agreements)
    parser.add_argument("--requesters", type=int, default=Shape.requesters)
    parser.add_argument("--providers", type=int, default=Shape.providers)
    parser.add_argument("--per-block", type=int, default=Shape.per_block, help="agreements started per block")
    parser.add_argument("--rebuild", action="store_true", help="build the state even if a cached one matches")
    parser.add_argument("--requests", type=int, default=1000, help="per latency measurement")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--load-txs", type=int, default=30_000, help="transfers per throughput round")
    parser.add_argument("--pairs", type=int, default=3, help="dashboard and hammer rounds (each between rounds alone)")
    parser.add_argument("--viewers", type=int, default=4, help="dashboard viewers in the dashboard round")
    parser.add_argument("--hammer", type=int, default=8, help="clients without pause in the hammer round")
    parser.add_argument("--readers-nice", type=int, default=19,
                        help="CPU priority of the readers' client process (stand-ins for remote browsers)")
    parser.add_argument("--out", type=Path, help="also write the JSON report here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    shape = Shape(agreements=args.agreements, requesters=args.requesters, providers=args.providers,
                  per_block=args.per_block, idle=args.load_txs)
    actors = Actors.of(shape)
    root = Path(tempfile.mkdtemp(prefix="bgq", dir="/tmp"))
    report = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items() if k != "out"},
              "load_average_start": os.getloadavg()}
    try:
        built_home, report["large_state"] = phase_large_state(root, shape, actors, args)
        report["real_node"] = phase_real_node(root, built_home, report["large_state"]["state"], shape, actors, args)
    except BaseException:
        shutil.rmtree(root / "node" / "data", ignore_errors=True)    # the node's state; its logs stay
        print(f"bench-graphql: failed; logs kept in {root}", file=sys.stderr)
        raise
    report["load_average_end"] = os.getloadavg()
    shutil.rmtree(root, ignore_errors=True)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
