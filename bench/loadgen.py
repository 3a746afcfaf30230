"""Load generator: send pre-built transactions to a CometBFT node and measure from the chain.

Contract:
* every transaction is built (and signed) before the clock starts;
* ``run_load`` sends them with ``broadcast_tx_async`` or ``_sync`` over HTTP
  (``transport="http"``) or pipelined over websockets (``"ws"``, cheaper per request) on
  ``connections`` parallel connections, at a fixed ``rate`` (tx/s) or as fast as
  the node accepts (``rate=None``); it stops after all are sent and committed, or
  at ``deadline`` seconds, whichever comes first (bounded by design);
* as fast as accepted, with ``backpressure=N`` the sender pauses while the node's mempool
  holds N or more transactions (sampled every 50 ms): an async broadcast is answered
  before CheckTx, so without it the client outruns a slower app, its mempool fills and
  the surplus is dropped after costing the client, CometBFT and CheckTx their work.
  ``backpressure=AUTO`` sizes the mark from the chain: twice the largest block seen so far
  (at least ``AUTO_FLOOR``), so the proposer always finds a full block's worth waiting
  (the mark never caps the block) while the mempool, which every block rechecks, stays
  about two blocks deep;
* what counts as committed is read from the chain itself: a follower polls
  ``/status`` every 20 ms and fetches each new block's transactions (``/block``);
  ``/block_results`` gives their codes.  Latency is the time from a transaction's
  send to the moment the follower saw the block that holds it (20 ms resolution;
  polling rather than a websocket subscription, which CometBFT drops for clients
  that fall behind on large blocks);
* CPU seconds of the given process ids are read from ``/proc`` before and after, and
  the load generator's own (``client``: sending, following blocks) from ``process_time``.

Only loopback addresses are meant as targets (tests and benchmarks run on one machine).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import statistics
import time
from dataclasses import dataclass, field

import httpx
import websockets

CLK_TCK = os.sysconf("SC_CLK_TCK")
PACE_SLACK = 0.005   # a fixed-rate sender sleeps only when it is further ahead of its schedule than this
AUTO = -1            # ``backpressure=AUTO``: the mark follows the block size (see the module docstring)
AUTO_FLOOR = 2_000


@dataclass
class LoadResult:
    sent: int = 0
    accepted: int = 0          # CheckTx passed (sync mode) or the node took it (async mode)
    rejected: int = 0          # refused at broadcast (CheckTx code != 0 or RPC error)
    committed: int = 0         # in a block with code 0
    failed_in_block: int = 0   # in a block with code != 0
    seconds: float = 0.0       # first send to last commit seen
    latencies: list[float] = field(default_factory=list)
    mempool_max: int = 0
    mempool_last: int = -1
    blocks: int = 0
    largest_block: int = 0     # most of our transactions seen in one block
    block_ms: float = float("nan")        # median interval between blocks holding our transactions
    txs_per_block: float = float("nan")   # median of our transactions per such block
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    order: list[int] = field(default_factory=list)   # committed transactions' indexes in execution order

    @property
    def tps(self) -> float:
        return self.committed / self.seconds if self.seconds else 0.0

    def percentile(self, p: int) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, (len(ordered) * p) // 100)]

    def cpu_per_1000(self, name: str) -> float:
        return 1000 * self.cpu_seconds.get(name, 0.0) / self.committed if self.committed else float("nan")

    def summary(self) -> dict:
        return {"sent": self.sent, "accepted": self.accepted, "rejected": self.rejected,
                "committed": self.committed, "failed_in_block": self.failed_in_block,
                "seconds": round(self.seconds, 3), "tps": round(self.tps, 1),
                "p50_ms": round(1000 * self.percentile(50), 1), "p95_ms": round(1000 * self.percentile(95), 1),
                "p99_ms": round(1000 * self.percentile(99), 1), "mempool_max": self.mempool_max,
                "blocks": self.blocks, "block_ms": round(self.block_ms, 1), "txs_per_block": self.txs_per_block,
                "cpu_s_per_1000": {k: round(self.cpu_per_1000(k), 3) for k in sorted(self.cpu_seconds)}}


def cpu_seconds(pid: int) -> float:
    """Return user+system CPU seconds of a process (and its waited-for children)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / CLK_TCK


class _Tracker:
    def __init__(self, txs: list[bytes]) -> None:
        self.hashes = {hashlib.sha256(t).digest(): i for i, t in enumerate(txs)}
        self.sent_at: dict[int, float] = {}
        self.committed_at: dict[int, float] = {}
        self.heights: list[int] = []
        self.positions: dict[int, list[tuple[int, int]]] = {}  # height -> [(position in block, tx index)]
        self.seen_at: dict[int, float] = {}   # height -> when the follower saw it
        self.largest = 0

    def done(self, expected: int) -> bool:
        return len(self.committed_at) >= expected


async def _follow_blocks(rpc_url: str, tracker: _Tracker, ready: asyncio.Event, poll: float = 0.02) -> None:
    """Fetch every new block as soon as ``/status`` shows it; note when each of our txs appeared."""
    async with httpx.AsyncClient(timeout=30) as client:
        async def latest() -> int:
            answer = (await client.get(f"{rpc_url}/status")).json()
            return int(answer["result"]["sync_info"]["latest_block_height"])

        seen = await latest()
        ready.set()
        while True:
            top = await latest()
            for height in range(seen + 1, top + 1):
                block = (await client.get(f"{rpc_url}/block", params={"height": height})).json()["result"]["block"]
                _note_block(tracker, height, block["data"]["txs"] or [], time.perf_counter())
            seen = top
            await asyncio.sleep(poll)


def _note_block(tracker: _Tracker, height: int, txs: list[str], now: float) -> None:
    tracker.heights.append(height)
    tracker.seen_at[height] = now
    tracker.largest = max(tracker.largest, len(txs))
    for position, tx in enumerate(txs):
        index = tracker.hashes.get(hashlib.sha256(base64.b64decode(tx)).digest())
        if index is not None and index not in tracker.committed_at:
            tracker.committed_at[index] = now
            tracker.positions.setdefault(height, []).append((position, index))


async def _sender(client: httpx.AsyncClient, url: str, method: str, queue: asyncio.Queue,
                  txs: list[bytes], tracker: _Tracker, result: LoadResult) -> None:
    while True:
        index = await queue.get()
        if index is None:
            return
        tracker.sent_at[index] = time.perf_counter()
        payload = {"jsonrpc": "2.0", "id": index, "method": method,
                   "params": {"tx": base64.b64encode(txs[index]).decode()}}
        try:
            answer = (await client.post(url, json=payload)).json()
        except httpx.HTTPError:
            result.rejected += 1
            continue
        if "error" in answer or answer.get("result", {}).get("code", 0) != 0:
            result.rejected += 1
        else:
            result.accepted += 1


async def _ws_sender(ws_url: str, method: str, queue: asyncio.Queue, txs: list[bytes],
                     tracker: _Tracker, result: LoadResult, window: int = 64) -> None:
    """Send over one websocket, pipelining up to ``window`` unanswered requests."""
    slots = asyncio.Semaphore(window)
    async with websockets.connect(ws_url, max_size=64 << 20) as ws:
        async def read_answers() -> None:
            async for message in ws:
                answer = json.loads(message)
                if "error" in answer or answer.get("result", {}).get("code", 0) != 0:
                    result.rejected += 1
                else:
                    result.accepted += 1
                slots.release()

        reader = asyncio.create_task(read_answers())
        while (index := await queue.get()) is not None:
            await slots.acquire()
            tracker.sent_at[index] = time.perf_counter()
            await ws.send(json.dumps({"jsonrpc": "2.0", "id": index, "method": method,
                                      "params": {"tx": base64.b64encode(txs[index]).decode()}}))
        for _ in range(window):  # wait for every answer
            await asyncio.wait_for(slots.acquire(), 60)
        reader.cancel()


async def _pace(queue: asyncio.Queue, count: int, rate: float | None, connections: int, result: LoadResult,
                backpressure: int | None = None, tracker: _Tracker | None = None) -> None:
    start = time.perf_counter()
    for i in range(count):
        if rate:   # fewer wake-ups (one per 5 ms at most), the same average rate
            delay = start + i / rate - time.perf_counter()
            if delay > PACE_SLACK:
                await asyncio.sleep(delay)
        else:
            if queue.qsize() > 2 * connections:
                while queue.qsize() > connections:
                    await asyncio.sleep(0.001)
            while backpressure is not None and result.mempool_last >= _mark(backpressure, tracker):
                await asyncio.sleep(0.005)
        await queue.put(i)
        result.sent += 1
    for _ in range(connections):
        await queue.put(None)


def _mark(backpressure: int, tracker: _Tracker | None) -> int:
    """The mempool depth at which the sender pauses (``AUTO``: twice the largest block so far)."""
    if backpressure != AUTO:
        return backpressure
    return max(AUTO_FLOOR, 2 * (tracker.largest if tracker else 0))


async def _sample_mempool(client: httpx.AsyncClient, url: str, result: LoadResult, stop: asyncio.Event,
                          every: float = 0.2) -> None:
    while not stop.is_set():
        try:
            answer = (await client.get(f"{url}/num_unconfirmed_txs")).json()
            depth = int(answer["result"]["n_txs"])
            result.mempool_max = max(result.mempool_max, depth)
            result.mempool_last = depth
        except (httpx.HTTPError, KeyError, ValueError):
            pass
        await asyncio.sleep(every)


async def run_load(rpc_url: str, txs: list[bytes], rate: float | None = None, connections: int = 4,
                   mode: str = "async", deadline: float = 120.0, pids: dict[str, int] | None = None,
                   transport: str = "http", backpressure: int | None = None) -> LoadResult:
    """Send ``txs`` and return what the chain committed (see the module docstring)."""
    result, tracker = LoadResult(), _Tracker(txs)
    ws_url = rpc_url.replace("http://", "ws://") + "/websocket"
    ready, stop = asyncio.Event(), asyncio.Event()
    follower = asyncio.create_task(_follow_blocks(rpc_url, tracker, ready))
    await asyncio.wait_for(ready.wait(), 10)
    cpu_before = {name: cpu_seconds(pid) for name, pid in (pids or {}).items()}
    client_before = time.process_time()
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:
        queue: asyncio.Queue = asyncio.Queue()
        method = "broadcast_tx_async" if mode == "async" else "broadcast_tx_sync"
        every = 0.05 if backpressure is not None else 0.2
        sampler = asyncio.create_task(_sample_mempool(client, rpc_url, result, stop, every))
        if transport == "ws":
            senders = [asyncio.create_task(_ws_sender(ws_url, method, queue, txs, tracker, result))
                       for _ in range(connections)]
        else:
            senders = [asyncio.create_task(_sender(client, rpc_url, method, queue, txs, tracker, result))
                       for _ in range(connections)]
        start = time.perf_counter()
        await _pace(queue, len(txs), rate, connections, result, backpressure, tracker)
        await asyncio.gather(*senders)
        sent_all = time.perf_counter()
        while not tracker.done(result.accepted) and time.perf_counter() - start < deadline:
            if result.mempool_last == 0 and _quiet_for(tracker, 2.0, sent_all):
                break  # some accepted transactions were dropped by CheckTx: nothing more will come
            await asyncio.sleep(0.05)
        stop.set()
        await sampler
        follower.cancel()
        await _count_codes(client, rpc_url, tracker, result)
    result.cpu_seconds = {name: cpu_seconds(pid) - cpu_before[name] for name, pid in (pids or {}).items()}
    result.cpu_seconds["client"] = time.process_time() - client_before
    end = max(tracker.committed_at.values(), default=start)  # only successful commits count
    result.seconds = end - start
    result.blocks = len(tracker.heights)
    _block_figures(tracker, result)
    result.latencies = [tracker.committed_at[i] - tracker.sent_at[i] for i in tracker.committed_at if i in tracker.sent_at]
    return result


def _block_figures(tracker: _Tracker, result: LoadResult) -> None:
    """Median interval between consecutive blocks holding our transactions, and their size."""
    ours = sorted(h for h in tracker.positions if tracker.positions[h])
    gaps = [1000 * (tracker.seen_at[b] - tracker.seen_at[a]) / (b - a) for a, b in zip(ours, ours[1:])]
    result.largest_block = max((len(tracker.positions[h]) for h in ours), default=0)
    if gaps:
        result.block_ms = statistics.median(gaps)
    if ours:
        result.txs_per_block = statistics.median(len(tracker.positions[h]) for h in ours)


def _quiet_for(tracker: _Tracker, seconds: float, since: float) -> bool:
    """True if nothing of ours committed for ``seconds``, counting from ``since`` (the last send) at the earliest:
    a mempool sampled empty right after the sends may simply not have seen them yet."""
    last = max(tracker.committed_at.values(), default=since)
    return time.perf_counter() - max(last, since) > seconds


async def _count_codes(client: httpx.AsyncClient, url: str, tracker: _Tracker, result: LoadResult) -> None:
    """Split our transactions seen in blocks into committed (code 0) and failed; drop failed ones' latency."""
    for height in sorted(tracker.positions):
        for _ in range(100):   # a block is visible a moment before its results ("could not find results")
            answer = (await client.get(f"{url}/block_results", params={"height": height})).json()
            if "result" in answer:
                break
            await asyncio.sleep(0.05)
        else:
            raise RuntimeError(f"no results for height {height}: {answer.get('error')}")
        results = answer["result"].get("txs_results") or []
        for position, index in tracker.positions[height]:
            if int(results[position].get("code", 0)) != 0:
                result.failed_in_block += 1
                del tracker.committed_at[index]
    result.committed = len(tracker.committed_at)
    result.order = [index for height in sorted(tracker.positions) for _, index in sorted(tracker.positions[height])
                    if index in tracker.committed_at]
