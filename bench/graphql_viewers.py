"""GraphQL readers for the throughput phase of ``bench.graphql``, run as their own process.

    python -m bench.graphql_viewers --url URL --mode dashboard|hammer --clients N --agreements N --requesters N

* ``dashboard`` (the documented "under load"): N dashboard viewers, each as the
  dashboard's open page behaves (``dashboard/js/main.js``): subscribed to ``newBlocks``
  over graphql-transport-ws, and on each new block (at most once per 800 ms, and
  never while its previous refresh is still running) it refreshes its three sections
  at once: one object, a page of 100 agreements, the friction aggregates.
* ``hammer``: N clients, each sending the three queries in turn without pause.

The process runs until a line arrives on stdin (or ``--seconds`` pass), then prints
one JSON document: per query, requests, failures, p50 and p99 latency, how many
blocks the viewers saw and the CPU time the readers' own client work took.  A process
of its own keeps that work out of the load generator's event loop; ``--nice`` lowers
its priority (the readers stand in for browsers on other machines, whose CPU time is
not the node's).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import defaultdict

import httpx
import websockets

from bench.graphql_queries import Variables
from bench.graphql_state import Actors, Shape

MIN_REFRESH_SECONDS = 0.8
BLOCKS = "subscription { newBlocks { number } }"


class Stats:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.failures: dict[str, int] = defaultdict(int)
        self.blocks = 0

    async def timed(self, http: httpx.AsyncClient, url: str, name: str, query: str, variables: dict) -> None:
        started = time.perf_counter()
        try:
            response = await http.post(url, json={"query": query, "variables": variables})
            ok = response.status_code == 200 and "errors" not in response.json()
        except httpx.HTTPError:
            ok = False
        self.latencies[name].append(time.perf_counter() - started)
        self.failures[name] += not ok

    def report(self) -> dict:
        out = {"blocks_seen": self.blocks}
        for name, values in sorted(self.latencies.items()):
            values.sort()
            out[name] = {"requests": len(values), "failures": self.failures[name],
                         "p50_ms": round(values[len(values) // 2] * 1000, 1),
                         "p99_ms": round(values[min(len(values) - 1, int(len(values) * 0.99))] * 1000, 1)}
        return out


async def viewer(url: str, queries, stats: Stats, stop: asyncio.Event, n: int) -> None:
    """One dashboard page: refresh the three sections on each new block, coalescing blocks that arrive meanwhile."""
    dirty = asyncio.Event()
    ws_url = url.replace("http://", "ws://")
    async with websockets.connect(ws_url, subprotocols=["graphql-transport-ws"]) as ws, \
            httpx.AsyncClient(timeout=30.0) as http:
        await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        await ws.recv()
        await ws.send(json.dumps({"id": "blocks", "type": "subscribe", "payload": {"query": BLOCKS}}))
        listener = asyncio.create_task(_listen(ws, dirty, stats if n == 0 else None))
        refreshes, last = 0, 0.0
        try:
            while not stop.is_set():
                if not await _wait(dirty, stop):
                    break
                dirty.clear()
                await asyncio.sleep(max(0.0, last + MIN_REFRESH_SECONDS - time.monotonic()))
                last = time.monotonic()
                i = n * 100_003 + refreshes
                await asyncio.gather(*(stats.timed(http, url, name, q, variables(i)) for name, q, variables in queries))
                refreshes += 1
        finally:
            listener.cancel()


async def _listen(ws, dirty: asyncio.Event, stats: Stats | None) -> None:
    async for raw in ws:
        message = json.loads(raw)
        if message.get("type") == "next":
            dirty.set()
            if stats is not None:
                stats.blocks += 1
        elif message.get("type") == "ping":
            await ws.send(json.dumps({"type": "pong"}))


async def _wait(event: asyncio.Event, stop: asyncio.Event) -> bool:
    """Wait for ``event`` or ``stop``; return whether ``event`` is set."""
    waiters = [asyncio.create_task(event.wait()), asyncio.create_task(stop.wait())]
    await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    for waiter in waiters:
        waiter.cancel()
    return event.is_set() and not stop.is_set()


async def hammer(url: str, queries, stats: Stats, stop: asyncio.Event, n: int) -> None:
    """One client sending the three queries in turn without pause."""
    async with httpx.AsyncClient(timeout=30.0) as http:
        i = n * 100_003
        while not stop.is_set():
            name, query, variables = queries[i % len(queries)]
            await stats.timed(http, url, name, query, variables(i // len(queries)))
            i += 1


async def run(args) -> dict:
    actors = Actors.of(Shape(requesters=args.requesters, providers=0, arbiters=0, idle=0))
    variables = Variables(args.agreements, tuple(k.address for k in actors.requesters))
    queries = variables.dashboard(party_index=args.party_index)
    stats, stop, started = Stats(), asyncio.Event(), time.perf_counter()
    client = viewer if args.mode == "dashboard" else hammer
    tasks = [asyncio.create_task(client(args.url, queries, stats, stop, n)) for n in range(args.clients)]
    loop = asyncio.get_running_loop()
    line = loop.run_in_executor(None, sys.stdin.readline)
    await asyncio.wait([line, *tasks], timeout=args.seconds, return_when=asyncio.FIRST_COMPLETED)
    stop.set()
    await asyncio.wait(tasks, timeout=30)
    for task in tasks:
        task.cancel()
    failed = [t.exception() for t in tasks if t.done() and not t.cancelled() and t.exception()]
    return {**stats.report(), "mode": args.mode, "clients": args.clients,
            "seconds": round(time.perf_counter() - started, 1), "cpu_seconds": round(time.process_time(), 2),
            "client_errors": [repr(e) for e in failed][:3]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graphql_viewers", description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="http://127.0.0.1:PORT/graphql")
    parser.add_argument("--mode", choices=("dashboard", "hammer"), default="dashboard")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--agreements", type=int, required=True)
    parser.add_argument("--requesters", type=int, required=True)
    parser.add_argument("--party-index", action="store_true", help="page by party (needs the chain's history)")
    parser.add_argument("--seconds", type=float, default=600.0, help="stop after this long at the latest")
    parser.add_argument("--nice", type=int, default=0, help="lower this process's CPU priority by this much")
    args = parser.parse_args(argv)
    os.nice(args.nice)
    print(json.dumps(asyncio.run(run(args))), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
