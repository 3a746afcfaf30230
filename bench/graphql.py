"""GraphQL benchmark (``make bench-graphql``): three dashboard queries at a large state, next to abci_query.

    python -m bench.graphql [--accounts 20000] [--blocks 200] [--txs 500] [--requests 1000] [--concurrency 4]

Phase 1, large state: a real LMDB store is filled through the app's own code path
(``LedgerApp.init_chain`` with ``--accounts`` funded accounts, then ``--blocks``
blocks of ``--txs`` signed transfers through FinalizeBlock + Commit, so records
and secondary indexes are the ones a node writes).  ``python -m graphql_api`` serves
it as a separate process and three dashboard queries are measured:

* one object: an account (balance, sequence) with ``_meta``;
* a page of 100 with filters: successful Transfer transactions below a height, newest first;
* aggregates: ``status`` (supply, block and transaction counts, recent averages).

Phase 2, same machine, same run: a real single-validator node (cometbft + the app)
whose genesis holds the same accounts; the same one-object read is measured through
CometBFT's ``abci_query`` (``/account/<address>``) and through GraphQL on that node.

The server runs with its per-block response cache off (``--response-cache 0``): the
figures are the cost of answering, not of a cache lookup.  Each measurement sends
``--requests`` requests after a warm-up, ``--concurrency`` in
flight, over keep-alive HTTP on loopback; it reports requests/s and p50/p99 latency.

Phase 3, on the same node: committed transactions per second for ``--load-txs``
signed transfers (``bench.loadgen.run_load``, as fast as accepted), once alone and
once while ``--readers`` GraphQL clients query without pause; the ratio is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import platform
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from abci_app.app import LedgerApp
from abci_app.client.signer import Signer
from abci_app.domain.accounts.messages import Transfer
from abci_app.node.cometbft import find_binary
from abci_app.node.home import NodeOptions, init_home, socket_path
from abci_app.state.store import Store
from bench.loadgen import run_load

CHAIN_ID = "bench-graphql"
GENESIS_TIME = 1_700_000_000
WARMUP = 50

ONE_OBJECT = "query($id: String!) { account(id: $id) { balance sequence } _meta { block { number } } }"
PAGE = ("query($below: Int!) { transactions(first: 100, orderDirection: desc, "
        "where: {action: \"Transfer\", success: true, block_lt: $below}) "
        "{ hash blockNumber index signer code events { type attributes { key value } } } }")
AGGREGATES = ("{ status { height supply blockCount transactionCount recentBlocks recentTransactions "
              "averageBlockTimeMs } _meta { block { number timestamp } appHash } }")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def signers(count: int) -> list[Signer]:
    return [Signer(hashlib.sha256(b"bench-graphql/%d" % i).digest()) for i in range(count)]


def build_state(store_dir: Path, keys: list[Signer], blocks: int, txs: int) -> dict:
    """Fill ``store_dir`` through LedgerApp: genesis accounts, then blocks of transfers."""
    started = time.perf_counter()
    store = Store(store_dir)
    app = LedgerApp(store)
    genesis = {"accounts": [{"address": k.address, "balance": 1_000_000} for k in keys]}
    app.init_chain(CHAIN_ID, json.dumps(genesis).encode())
    sequences = [0] * len(keys)
    for height in range(1, blocks + 1):
        batch = []
        for i in range(txs):
            n = (height * txs + i) % len(keys)
            to = keys[(n * 7 + 1) % len(keys)].address
            batch.append(keys[n].sign_tx(CHAIN_ID, sequences[n], Transfer(to, 1 + i % 5)))
            sequences[n] += 1
        app.finalize_block(height, GENESIS_TIME + height, b"\x01" * 20, batch, hashlib.sha256(b"%d" % height).digest())
        app.commit()
    app._close_snapshot()
    store.close()
    return {"accounts": len(keys), "blocks": blocks, "transactions": blocks * txs,
            "build_seconds": round(time.perf_counter() - started, 1)}


def spawn(argv: list[str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(15)


def wait_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout:g}s")


def start_graphql(home: Path, root: Path, rpc: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = spawn([sys.executable, "-m", "graphql_api", "--home", str(home), "--port", str(port),
                     "--rpc", rpc, "--response-cache", "0"], root / "graphql.log")
    wait_http(f"http://127.0.0.1:{port}/healthz")
    return process, f"http://127.0.0.1:{port}/graphql"


async def measure(send, requests: int, concurrency: int) -> dict:
    """Run ``send(client, i)`` ``requests`` times (after a warm-up), ``concurrency`` at a time."""
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        for i in range(WARMUP):
            await send(client, i)
        queue = iter(range(requests))

        async def worker() -> None:
            nonlocal failures
            for i in queue:
                started = time.perf_counter()
                ok = await send(client, i)
                latencies.append(time.perf_counter() - started)
                failures += not ok

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": requests, "failures": failures, "rps": round(requests / elapsed, 1),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2)}


def graphql_sender(url: str, query: str, variables):
    async def send(client: httpx.AsyncClient, i: int) -> bool:
        response = await client.post(url, json={"query": query, "variables": variables(i)})
        body = response.json()
        return response.status_code == 200 and "errors" not in body
    return send


def abci_sender(rpc: str, keys: list[Signer]):
    async def send(client: httpx.AsyncClient, i: int) -> bool:
        path = f"/account/{keys[(i * 7919) % len(keys)].address}"
        payload = {"jsonrpc": "2.0", "id": i, "method": "abci_query", "params": {"path": path, "data": ""}}
        response = await client.post(rpc, json=payload)
        return response.status_code == 200 and response.json()["result"]["response"].get("code", 0) == 0
    return send


def account_variables(keys: list[Signer]):
    return lambda i: {"id": keys[(i * 7919) % len(keys)].address}


def phase_large_state(root: Path, keys: list[Signer], args) -> dict:
    home = root / "large"
    state = build_state(home / "data" / "samen", keys, args.blocks, args.txs)
    process, url = start_graphql(home, root, "http://127.0.0.1:9")
    try:
        below = lambda i: {"below": args.blocks - (i % 50)}
        results = {
            "one_object": asyncio.run(measure(graphql_sender(url, ONE_OBJECT, account_variables(keys)),
                                              args.requests, args.concurrency)),
            "page_of_100_filtered": asyncio.run(measure(graphql_sender(url, PAGE, below),
                                                        args.requests, args.concurrency)),
            "aggregates": asyncio.run(measure(graphql_sender(url, AGGREGATES, lambda i: {}),
                                              args.requests, args.concurrency)),
        }
    finally:
        stop(process)
    return {"state": state, "graphql": results}


def phase_real_node(root: Path, keys: list[Signer], args) -> dict:
    home = root / "node"
    rpc_port = free_port()
    options = NodeOptions(chain_id=CHAIN_ID, rpc_port=rpc_port, p2p_port=free_port(), timeout_commit="1s",
                          accounts=tuple((k.address, 1_000_000) for k in keys), graphql_port=free_port())
    init_home(home, options)
    rpc = f"http://127.0.0.1:{rpc_port}"
    app = spawn([sys.executable, "-m", "abci_app", "--home", str(home)], root / "abci.log")
    comet = graphql = None
    try:
        deadline = time.monotonic() + 60
        while not socket_path(home).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        comet = spawn([find_binary(), "start", "--home", str(home)], root / "cometbft.log")
        wait_http(f"{rpc}/status", 120)
        graphql, url = start_graphql(home, root, rpc)
        report = {
            "abci_query_one_object": asyncio.run(measure(abci_sender(rpc, keys), args.requests, args.concurrency)),
            "graphql_one_object": asyncio.run(measure(graphql_sender(url, ONE_OBJECT, account_variables(keys)),
                                                      args.requests, args.concurrency)),
        }
        report["throughput"] = throughput(rpc, url, keys, args)
        return report
    finally:
        for process in (graphql, comet, app):
            stop(process)


def transfers(keys: list[Signer], first: int, count: int) -> list[bytes]:
    """One transfer from each of ``count`` accounts starting at ``first`` (sequence 0: never used)."""
    return [keys[i].sign_tx(CHAIN_ID, 0, Transfer(keys[(i + 1) % len(keys)].address, 1))
            for i in range(first, first + count)]


async def load_with_readers(rpc: str, url: str, txs: list[bytes], keys: list[Signer], readers: int) -> dict:
    """Run the transfer load while ``readers`` GraphQL clients query without pause."""
    stop = asyncio.Event()

    async def reader(n: int) -> int:
        done = 0
        async with httpx.AsyncClient(timeout=30.0) as client:
            while not stop.is_set():
                query = (ONE_OBJECT, {"id": keys[(n * 31 + done) % len(keys)].address}) if done % 2 else (AGGREGATES, {})
                await client.post(url, json={"query": query[0], "variables": query[1]})
                done += 1
        return done

    tasks = [asyncio.create_task(reader(n)) for n in range(readers)]
    result = await run_load(rpc, txs, connections=4)
    stop.set()
    return {"load": result.summary(), "graphql_reads": sum(await asyncio.gather(*tasks))}


def throughput(rpc: str, url: str, keys: list[Signer], args) -> dict:
    alone = asyncio.run(run_load(rpc, transfers(keys, 0, args.load_txs), connections=4)).summary()
    loaded = asyncio.run(load_with_readers(rpc, url, transfers(keys, args.load_txs, args.load_txs), keys,
                                           args.readers))
    ratio = loaded["load"]["tps"] / alone["tps"] if alone["tps"] else 0.0
    return {"without_graphql_load": alone, "with_graphql_load": loaded, "tps_ratio": round(ratio, 3)}


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "os": platform.platform()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graphql", description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--blocks", type=int, default=200)
    parser.add_argument("--txs", type=int, default=500, help="transfers per block")
    parser.add_argument("--requests", type=int, default=1000, help="per measurement")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--load-txs", type=int, default=2000, help="transfers per throughput run")
    parser.add_argument("--readers", type=int, default=8, help="GraphQL clients during the loaded run")
    parser.add_argument("--out", type=Path, help="also write the JSON report here")
    args = parser.parse_args(argv)
    root = Path(tempfile.mkdtemp(prefix="bgq", dir="/tmp"))
    try:
        keys = signers(args.accounts)
        report = {"machine": machine(), "args": {k: v for k, v in vars(args).items() if k != "out"},
                  "large_state": phase_large_state(root, keys, args), "real_node": phase_real_node(root, keys, args)}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
