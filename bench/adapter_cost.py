"""CPU the ABCI adapter spends per CheckTx: pre-signed transfers through the real server over loopback TCP.

    python -m bench.adapter_cost [--txs 2000] [--per-write 100] [--window 400] [--rounds 5]
                                 [--workers 1|0|1,0] [--verified] [--adapter-only] [--profile FILE]

Starts ``AbciServer`` (with the node's metrics observer and one signature worker) on
127.0.0.1 in this process and a client of two threads: one writes the framed NEW CheckTx
requests, ``--per-write`` of them and a Flush per socket write, never more than
``--window`` unanswered (as CometBFT's mempool connection trickles them in while the app
answers); the other reads the answers.  Each round runs on a fresh chain with every
signature unverified.  The figure is the process CPU time (``time.process_time``: the loop
thread and the signature worker) minus the client threads' own CPU, per CheckTx; the
median of the rounds is reported with the load average.  ``--workers 1,0`` alternates the
signature worker and inline verification within each round (an interleaved A/B in one
process); ``--adapter-only`` answers for a stand-in app that accepts everything, leaving the
adapter's own work (framing, parsing, metrics, response encoding, socket I/O).  Batches: at
100 ms blocks a read of the real node carried 185 new CheckTx on average (and RECHECKs come in
hundreds), hence the default writes of 100 with 400 outstanding.  ``--profile`` writes a cProfile
(event-loop thread CPU) of the server's side of the last run.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import os
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

from abci_app.adapter.metrics import AppMetrics
from abci_app.adapter.protos import abci
from abci_app.adapter.framing import frame
from abci_app.adapter.server import AbciServer
from abci_app.chain import auth
from abci_app.chain.context import TxOutcome
from abci_app.chain.domain.accounts.messages import Transfer
from bench.inprocess import CHAIN_ID, close, fresh_app, make_workload

FLUSH = frame(abci.Request(flush=abci.RequestFlush()))


class AcceptAll:
    """A stand-in app that accepts every CheckTx at once: what is left is the adapter's own work."""

    ACCEPTED = TxOutcome(0, "", "")

    def __init__(self, app) -> None:
        self.store = app.store

    def check_tx(self, raw: bytes, recheck: bool = False) -> TxOutcome:
        return self.ACCEPTED


def transfers(signers, count: int, tag: str) -> list[bytes]:
    """``count`` signed transfers never seen before in this process (``tag`` in the memo): no cache knows them."""
    n = len(signers)
    return [signers[i % n].sign_tx(CHAIN_ID, i // n, Transfer(signers[(i * 7 + 1) % n].address, 1, tag))
            for i in range(count)]


def writes(txs: list[bytes], per_write: int) -> list[tuple[bytes, int]]:
    """The client's socket writes: (bytes, requests in them) with a Flush after every ``per_write`` CheckTx."""
    out = []
    for start in range(0, len(txs), per_write):
        part = txs[start:start + per_write]
        body = b"".join(frame(abci.Request(check_tx=abci.RequestCheckTx(tx=tx))) for tx in part) + FLUSH
        out.append((body, len(part) + 1))
    return out


def _client(port: int, plan: list[tuple[bytes, int]], window: int, cpu: list[float]) -> None:
    """Send ``plan`` and read every answer (frames counted, not parsed); add the client's CPU seconds to ``cpu``."""
    expected = sum(n for _, n in plan)
    room = threading.Semaphore(window)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send() -> None:
        start = time.thread_time()
        for body, count in plan:
            for _ in range(count):
                room.acquire()
            sock.sendall(body)
        cpu.append(time.thread_time() - start)

    sender = threading.Thread(target=send)
    sender.start()
    start, seen, buf = time.thread_time(), 0, bytearray()
    while seen < expected:
        buf += sock.recv(1 << 16)
        pos = 0
        while pos < len(buf):   # every answer here is shorter than 128 bytes: a one-byte length prefix
            if pos + 1 + buf[pos] > len(buf):
                break
            pos += 1 + buf[pos]
            seen += 1
            room.release()
        del buf[:pos]
    cpu.append(time.thread_time() - start)
    sender.join()
    sock.close()


def one_round(folder: Path, signers, txs: list[bytes], per_write: int, window: int,
              profile: cProfile.Profile | None = None, workers: int = 1,
              verified: bool = False, adapter_only: bool = False) -> tuple[float, float, float]:
    """Return the server side's CPU, wall and loop-thread CPU microseconds per CheckTx for one fresh chain.

    ``verified``: the signatures are marked verified before the round (as if checked earlier), so
    the figure is the adapter's and the check state's work without ed25519.  ``adapter_only``: the
    server answers for ``AcceptAll`` (no signature worker), so the figure is the adapter's own work.
    """
    app = fresh_app(folder, signers)
    auth._verified.clear()
    for raw in txs if verified else ():
        auth.mark_verified(auth.verified_hash(raw) or b"")
    server = AbciServer(AcceptAll(app) if adapter_only else app, AppMetrics(app.store), 0 if adapter_only else workers)
    plan, cpu = writes(txs, per_write), []

    async def run() -> tuple[float, float, float]:
        listener = await asyncio.start_server(server.connection, "127.0.0.1", 0)
        port = listener.sockets[0].getsockname()[1]
        start, wall, loop = time.process_time(), time.perf_counter(), time.thread_time()
        if profile is not None:
            profile.enable()
        await asyncio.to_thread(_client, port, plan, window, cpu)
        if profile is not None:
            profile.disable()
        used, wall, loop = time.process_time() - start, time.perf_counter() - wall, time.thread_time() - loop
        listener.close()
        await server._close_connections()
        return used, wall, loop

    try:
        used, wall, loop = asyncio.run(run())
    finally:
        server.preverifier.close()
        close(app)
    return (used - sum(cpu)) / len(txs) * 1e6, wall / len(txs) * 1e6, loop / len(txs) * 1e6


def report(label: str, figures: list[tuple[float, float, float]]) -> str:
    cpu, wall, loop = (statistics.median(f[i] for f in figures) for i in range(3))
    return (f"{label}us per CheckTx (medians of {len(figures)}): server CPU {cpu:.1f}, event-loop thread CPU "
            f"{loop:.1f}, wall {wall:.1f}; CPU by round {' '.join(f'{f[0]:.1f}' for f in figures)}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.adapter_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--txs", type=int, default=2000)
    parser.add_argument("--per-write", type=int, default=100)
    parser.add_argument("--window", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=lambda t: [int(w) for w in t.split(",")], default=[1],
                        help="signature worker threads ([abci] verify_workers); 1,0 alternates both in each round")
    parser.add_argument("--verified", action="store_true", help="signatures marked verified before each round")
    parser.add_argument("--adapter-only", action="store_true", help="a stand-in app that accepts everything")
    parser.add_argument("--profile", default="")
    args = parser.parse_args()
    signers, _ = make_workload(0)
    figures: dict[int, list] = {w: [] for w in args.workers}
    with tempfile.TemporaryDirectory(prefix="adapter-cost-") as tmp:
        for i in range(args.rounds):
            order = args.workers if i % 2 == 0 else args.workers[::-1]
            for workers in order:
                last = args.profile and i == args.rounds - 1 and workers == order[-1]
                profile = cProfile.Profile(time.thread_time) if last else None
                txs = transfers(signers, args.txs, f"round {i} workers {workers}")
                figures[workers].append(one_round(Path(tmp) / f"{i}-{workers}", signers, txs, args.per_write,
                                                  args.window, profile, workers, args.verified, args.adapter_only))
                if profile is not None:
                    profile.dump_stats(args.profile)
    for workers, rows in figures.items():
        print(report(f"verify_workers={workers}: " if len(figures) > 1 else "", rows))
    print(f"load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
