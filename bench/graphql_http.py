"""HTTP plumbing of ``bench.graphql``: child processes, readiness, and the latency measurement."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

WARMUP = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def spawn(argv: list[str], log: Path, **kwargs) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(argv, stdout=kwargs.pop("stdout", out), stderr=out,
                                stdin=kwargs.pop("stdin", subprocess.DEVNULL), start_new_session=True, **kwargs)


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(15)


def wait_http(url: str, timeout: float = 60.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} before {url} answered")
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:g}s")


def start_graphql(home: Path, root: Path, rpc: str, nice: int | None = None) -> tuple[subprocess.Popen, str]:
    """Start ``python -m graphql_api`` on ``home`` with its response cache off; return it and its URL."""
    port = free_port()
    argv = [sys.executable, "-m", "graphql_api", "--home", str(home), "--host", "127.0.0.1", "--port", str(port),
            "--rpc", rpc, "--response-cache", "0"]
    process = spawn(argv + ([] if nice is None else ["--nice", str(nice)]), root / "graphql.log")
    wait_http(f"http://127.0.0.1:{port}/healthz", process=process)
    return process, f"http://127.0.0.1:{port}/graphql"


async def measure(send, requests: int, concurrency: int) -> dict:
    """Run ``send(client, i)`` ``requests`` times (after a warm-up), ``concurrency`` at a time.

    The result also gives the machine's one-minute load average when the counted requests began.
    """
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=30.0, limits=limits) as client:
        for i in range(WARMUP):
            await send(client, requests + i)
        queue = iter(range(requests))

        async def worker() -> None:
            nonlocal failures
            for i in queue:
                started = time.perf_counter()
                ok = await send(client, i)
                latencies.append(time.perf_counter() - started)
                failures += not ok

        load_average = os.getloadavg()[0]
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": requests, "failures": failures, "rps": round(requests / elapsed, 1),
            "p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2),
            "load_average": round(load_average, 2)}


def graphql_sender(url: str, query: str, variables, rows: int | None = None):
    """Send ``query``; an answer with errors (or, with ``rows``, a list of another length) is a failure."""
    async def send(client: httpx.AsyncClient, i: int) -> bool:
        response = await client.post(url, json={"query": query, "variables": variables(i)})
        body = response.json()
        if response.status_code != 200 or "errors" in body:
            return False
        return rows is None or any(isinstance(v, list) and len(v) == rows for v in body["data"].values())
    return send


def abci_sender(rpc: str, path):
    """Send CometBFT's ``abci_query`` for ``path(i)``; an answer with a non-zero code is a failure."""
    async def send(client: httpx.AsyncClient, i: int) -> bool:
        payload = {"jsonrpc": "2.0", "id": i, "method": "abci_query", "params": {"path": path(i), "data": ""}}
        response = await client.post(rpc, json=payload)
        return response.status_code == 200 and response.json()["result"]["response"].get("code", 0) == 0
    return send
