"""Side-by-side end-to-end benchmark: Samen against CometBFT's kvstore, finding the limit instead of setting it.

    python -m bench.e2e [--txs 30000] [--timeout-commits 1s,500ms,100ms] [--contenders A,B]
                        [--mempool-size 50000] [--backpressure auto|N] [--out FILE] [--write]

Contenders (one fresh single-validator home per run, identical ``config.toml`` and genesis):
  A        Samen: ``python -m abci_app`` over a unix socket, signed transfers (one per funded account);
  B        ``abci-cli kvstore`` (CometBFT's example app, same module version) over the same unix-socket
           transport, ``key=value`` transactions padded to the same byte size as A's;
  B-builtin CometBFT's built-in kvstore (``proxy_app = "kvstore"``, no socket), when asked for;
  A-inline  Samen with ``[abci] verify_workers = 0`` (signatures checked on the event loop), when asked for.

For each ``timeout_commit`` setting: each contender as fast as the node accepts (closed
loop, with the back-pressure below), then each contender offered 100% and 125% of B's
closed-loop rate open loop (no back-pressure: a slower contender is overloaded and runs
with a deep mempool and full blocks).  A contender's **saturation rate** is the highest
committed rate of any of these runs: the back-pressure keeps blocks at about two mempool
depths, which for an app with a per-block cost is below what it sustains with larger
blocks, so the closed loop alone could set the limit instead of finding it.  Then A and
B at 50% and 80% of B's saturation rate for latency.  Nothing but the node may cap the result: the mempool holds
``--mempool-size`` (50,000) and the sender's back-pressure mark follows the block size
(``auto``: twice the largest block seen, so a proposer always finds a full block waiting
while the mempool every block rechecks stays about two blocks deep).  Each run reports the
committed rate, the block interval and size, p50/p99 latency, CPU seconds per 1,000
committed transactions of the app, ``cometbft`` and the load generator, and the resource
that limits it (``bench.e2e_report.limit``); the load generator's own CPU must stay below
``CLIENT_SHARE_LIMIT`` of the machine, or the run says so.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import httpx

from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.tools.node.cometbft import NodeError, find_binary, patch_config
from abci_app.tools.node.home import NodeOptions, init_home, socket_path
from bench import e2e_report
from bench.loadgen import AUTO, run_load

CHAIN_ID = "bench-e2e"
ABCI_CLI = Path(__file__).resolve().parents[1] / ".tools" / "bin" / "abci-cli"
MEMPOOL_SIZE = 50_000   # config.toml [mempool] size of every benchmark home (CometBFT's default: 5,000)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def signers(count: int) -> list[Signer]:
    return [Signer(i.to_bytes(32, "big")) for i in range(1, count + 1)]


def samen_txs(keys: list[Signer]) -> list[bytes]:
    sink = keys[0].address
    return [k.sign_tx(CHAIN_ID, 0, Transfer(sink, 1)) for k in keys]


def kv_txs(count: int, size: int) -> list[bytes]:
    """Return ``count`` distinct kvstore transactions of exactly ``size`` bytes."""
    out = []
    for i in range(count):
        head = f"k{i:09d}=".encode()
        out.append(head + b"v" * (size - len(head)))
    return out


class Node:
    """One benchmark node: a fresh home, the app (if any) and cometbft, on free loopback ports."""

    def __init__(self, root: Path, kind: str, accounts: list[tuple[str, int]], timeout_commit: str,
                 mempool_size: int = MEMPOOL_SIZE, empty_blocks: bool = False) -> None:
        self.kind, self.procs = kind, {}
        self.rpc_port = free_port()
        options = NodeOptions(chain_id=CHAIN_ID, rpc_port=self.rpc_port, p2p_port=free_port(),
                              timeout_commit=timeout_commit, create_empty_blocks=empty_blocks,
                              accounts=tuple(accounts), log_level="error")
        self.home = init_home(Path(tempfile.mkdtemp(prefix=f"e2e-{kind}-", dir=root)), options)
        changes: dict[tuple[str, str], object] = {("mempool", "size"): mempool_size}
        if kind == "B-builtin":
            changes[("", "proxy_app")] = "kvstore"
        patch_config(self.home / "config" / "config.toml", changes)
        if kind == "A-inline":   # Samen verifying CheckTx signatures on its event loop (the state before issue 19)
            app_toml = self.home / "config" / "app.toml"
            app_toml.write_text(app_toml.read_text().replace("verify_workers = 1", "verify_workers = 0"))

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    def start(self) -> None:
        log = open(self.home / "bench.log", "ab")
        if self.kind in ("A", "A-inline"):
            self._spawn("app", [sys.executable, "-m", "abci_app", "--home", str(self.home)], log)
        elif self.kind == "B":
            self._spawn("app", [str(ABCI_CLI), "kvstore", "--address", f"unix://{socket_path(self.home)}",
                                "--persist", str(self.home / "data" / "kvstore")], log)
        self._spawn("cometbft", [find_binary(), "start", "--home", str(self.home)], log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if int(httpx.get(f"{self.rpc_url}/status", timeout=2).json()["result"]["sync_info"]["latest_block_height"]) >= 1:
                    return
            except (httpx.HTTPError, KeyError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{self.kind} node did not reach height 1; see {self.home / 'bench.log'}")

    def _spawn(self, name: str, argv: list[str], log) -> None:
        self.procs[name] = subprocess.Popen(argv, stdout=log, stderr=log, start_new_session=True)
        if name == "app":
            time.sleep(0.5)

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.procs.items()}

    def stop(self) -> None:
        for name in ("cometbft", "app"):
            proc = self.procs.get(name)
            if proc and proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        shutil.rmtree(self.home, ignore_errors=True)


def one_run(root: Path, kind: str, txs: list[bytes], accounts, rate: float | None, timeout_commit: str, args) -> dict:
    """Start a fresh node of ``kind``, send ``txs`` (at ``rate``, or as fast as accepted) and return the figures."""
    node = Node(root, kind, accounts, timeout_commit, args.mempool_size)
    try:
        node.start()
        result = asyncio.run(run_load(node.rpc_url, txs, rate=rate, connections=args.connections,
                                      deadline=max(60.0, 3 * len(txs) / (rate or 200)), pids=node.pids(),
                                      transport="ws", backpressure=None if rate else args.backpressure))
        figures = result.summary()
        figures["limit"] = e2e_report.limit(figures, os.cpu_count() or 1)
        print(f"{timeout_commit} {kind} {'saturation' if rate is None else f'at {rate:.0f} tx/s'}: {figures}",
              file=sys.stderr, flush=True)
        return figures
    finally:
        node.stop()


def setting(root: Path, timeout_commit: str, txs: dict[str, list[bytes]], accounts, args) -> dict:
    """One ``timeout_commit``: every contender closed loop and overloaded, then A and B at 50% and 80% of B's saturation."""
    out: dict = {"timeout_commit": timeout_commit, "load_before": os.getloadavg()[0]}
    for kind in args.contenders:
        out[kind] = {"saturation": one_run(root, kind, txs[kind], accounts, None, timeout_commit, args)}
    closed_loop = out["B"]["saturation"]["tps"]
    for share in e2e_report.OVERLOAD_SHARES:
        rate = max(1.0, closed_loop * share / 100)
        for kind in args.contenders:
            count = min(len(txs[kind]), max(200, int(rate * args.latency_seconds)))
            out[kind][f"at_{share}pct_closed"] = one_run(root, kind, txs[kind][:count], accounts, rate,
                                                         timeout_commit, args)
    b_rate = e2e_report.saturation_rate(out["B"])
    for share in (50, 80):
        rate = max(1.0, b_rate * share / 100)
        count = min(len(txs["A"]), max(200, int(rate * args.latency_seconds)))
        for kind in ("A", "B"):
            out[kind][f"at_{share}pct"] = one_run(root, kind, txs[kind][:count], accounts, rate, timeout_commit, args)
    out["load_after"] = os.getloadavg()[0]
    return out


def run(args) -> dict:
    keys = signers(args.txs)
    a_txs = samen_txs(keys)
    b_txs = kv_txs(args.txs, len(a_txs[0]))
    txs = {"A": a_txs, "A-inline": a_txs, "B": b_txs, "B-builtin": b_txs}
    accounts = [(k.address, 1_000) for k in keys]
    root = Path(tempfile.mkdtemp(prefix="e2e-", dir="/tmp"))
    try:
        settings = [setting(root, tc, txs, accounts, args) for tc in args.timeout_commits]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"settings": settings, "tx_bytes": len(a_txs[0]), "txs": args.txs, "connections": args.connections,
            "mempool_size": args.mempool_size, "backpressure": "auto" if args.backpressure == AUTO else args.backpressure,
            "cores": os.cpu_count()}


def prepared(prog: str) -> bool:
    """Whether abci-cli and cometbft are installed (if not, say which is missing on stderr); on True, a
    SIGTERM from now on exits through the callers' ``finally`` blocks, which stop the nodes."""
    try:
        find_binary()
    except NodeError as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return False
    if not os.access(ABCI_CLI, os.X_OK):
        print(f"{prog}: abci-cli not found: run `make setup`", file=sys.stderr)
        return False
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return True


def run_and_report(prog: str, args: argparse.Namespace, run_: Callable[[argparse.Namespace], dict],
                   table: Callable[[dict], str]) -> int:
    """The tail of a benchmark's ``main``: check the tools (exit code 1 if one is missing), run, write the
    JSON report to ``args.out`` if given, print the markdown table; exit code 0."""
    if not prepared(prog):
        return 1
    report = run_(args)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1))
    print(table(report))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__.splitlines()[0])
    parser.add_argument("--txs", type=int, default=30000, help="transactions per saturation run")
    parser.add_argument("--timeout-commits", type=lambda t: [x for x in t.split(",") if x], default=["1s", "500ms", "100ms"])
    parser.add_argument("--contenders", type=lambda t: t.split(","), default=["A", "B"], help="A,B[,B-builtin][,A-inline]")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--latency-seconds", type=float, default=10.0, help="duration of each fixed-rate run")
    parser.add_argument("--mempool-size", type=int, default=MEMPOOL_SIZE)
    parser.add_argument("--backpressure", type=lambda t: AUTO if t == "auto" else int(t), default=AUTO,
                        help="as fast as accepted: pause while the mempool holds this many ('auto': 2 blocks)")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not prepared("bench.e2e"):
        return 1
    report = run(args)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    if args.write:
        e2e_report.write_section(e2e_report.section(report, "python -m bench.e2e " + " ".join(
            argv if argv is not None else sys.argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
