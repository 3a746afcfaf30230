"""Side-by-side end-to-end benchmark: Samen against CometBFT's kvstore, same machine, same run.

    python -m bench.e2e [--txs 30000] [--rounds 3] [--connections 4] [--transport ws|http]
                        [--sweep 0.25,0.5,0.75,1.0] [--out FILE] [--write]

Contenders (one fresh single-validator home each run, identical ``config.toml`` and genesis):
  A        Samen: ``python -m abci_app`` over a unix socket, signed transfers (one per funded account);
  B        ``abci-cli kvstore`` (CometBFT's example app, same module version) over the same unix-socket
           transport, ``key=value`` transactions padded to the same byte size as A's;
  B-builtin CometBFT's built-in kvstore (``proxy_app = "kvstore"``, no socket) as a second ceiling.
Each round runs A, B and B-builtin in turn (alternating, so drift on a shared machine hits all
of them); per round it measures saturation (as fast as accepted: the sender pauses while the
mempool holds ``--backpressure`` transactions or more, so the surplus of an open-loop flood is
not dropped at a full mempool after costing work) and then, at 50% and 80% of
that round's B saturation rate, latency.  After the rounds, a rate sweep offers A and B the
same fixed rates (shares of B's median saturation rate) to find the highest rate each side
sustains (>= 95% committed).  Reports every figure for each contender, the A/B ratios with
their spread (min..max over rounds) and the CPU budget the throughput floor leaves the app.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
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

from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.tools.node.cometbft import find_binary, patch_config
from abci_app.tools.node.home import NodeOptions, init_home, socket_path
from bench.inprocess import bare_verify
from bench.loadgen import run_load

CHAIN_ID = "bench-e2e"
ABCI_CLI = Path(__file__).resolve().parents[1] / ".tools" / "bin" / "abci-cli"


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

    def __init__(self, root: Path, kind: str, accounts: list[tuple[str, int]], timeout_commit: str) -> None:
        self.kind, self.procs = kind, {}
        self.rpc_port = free_port()
        options = NodeOptions(chain_id=CHAIN_ID, rpc_port=self.rpc_port, p2p_port=free_port(),
                              timeout_commit=timeout_commit, create_empty_blocks=False,
                              accounts=tuple(accounts), log_level="error")
        self.home = init_home(Path(tempfile.mkdtemp(prefix=f"e2e-{kind}-", dir=root)), options)
        if kind == "B-builtin":
            patch_config(self.home / "config" / "config.toml", {("", "proxy_app"): "kvstore"})

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    def start(self) -> None:
        log = open(self.home / "bench.log", "ab")
        if self.kind == "A":
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


def one_run(root: Path, kind: str, txs: list[bytes], accounts, rate: float | None, args) -> dict:
    node = Node(root, kind, accounts, args.timeout_commit)
    try:
        node.start()
        result = asyncio.run(run_load(node.rpc_url, txs, rate=rate, connections=args.connections,
                                      deadline=max(60.0, 3 * len(txs) / (rate or 200)), pids=node.pids(),
                                      transport=args.transport, backpressure=args.backpressure or None))
        return result.summary()
    finally:
        node.stop()


def sweep_point(root: Path, share: float, b_saturation: float, a_txs, b_txs, accounts, args) -> dict:
    """Offer A and B the same fixed rate (``share`` of B's median saturation) and record what each commits."""
    rate = max(1.0, b_saturation * share)
    count = min(args.txs, max(200, int(rate * args.latency_seconds)))
    point = {"share": share, "rate": round(rate, 1)}
    for kind, txs in (("A", a_txs), ("B", b_txs)):
        point[kind] = one_run(root, kind, txs[:count], accounts, rate, args)
        print(f"sweep {kind} at {rate:.0f} tx/s: {point[kind]}", file=sys.stderr)
    return point


MEMPOOL_SIZE = 5000   # config.toml [mempool] size of every benchmark home (CometBFT's default)


def sustained(point: dict, kind: str) -> bool:
    """A rate is sustained when the node kept up: its mempool never filled and >= 99% of the sent txs committed.

    (Committed tx/s of a fixed-rate run is a little below the offered rate even then: the
    last block lands a latency after the last send.)
    """
    f = point[kind]
    return f["mempool_max"] < MEMPOOL_SIZE and f["committed"] >= 0.99 * f["sent"]


def ratio(a: float, b: float) -> float:
    return round(a / b, 3) if b else float("nan")


def spread(values: list[float]) -> dict:
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3), "max": round(max(values), 3)}


def run(args) -> dict:
    keys = signers(args.txs)
    a_txs = samen_txs(keys)
    b_txs = kv_txs(args.txs, len(a_txs[0]))
    accounts = [(k.address, 1_000) for k in keys]
    root = Path(tempfile.mkdtemp(prefix="e2e-", dir="/tmp"))
    rounds = []
    try:
        for r in range(args.rounds):
            row = {"verify_per_s": bare_verify(a_txs[:3000])}
            for kind, txs in (("A", a_txs), ("B", b_txs), ("B-builtin", b_txs)):
                row[kind] = {"saturation": one_run(root, kind, txs, accounts, None, args)}
                print(f"round {r + 1} {kind} saturation: {row[kind]['saturation']}", file=sys.stderr)
            b_sat = row["B"]["saturation"]["tps"]
            for share in (50, 80):
                rate = max(1.0, b_sat * share / 100)
                count = min(args.txs, max(200, int(rate * args.latency_seconds)))
                for kind, txs in (("A", a_txs), ("B", b_txs)):
                    summary = one_run(root, kind, txs[:count], accounts, rate, args)
                    row[kind][f"at_{share}pct"] = summary
                    print(f"round {r + 1} {kind} at {share}% of B ({rate:.0f} tx/s): {summary}", file=sys.stderr)
            rounds.append(row)
        b_saturation = statistics.median(r["B"]["saturation"]["tps"] for r in rounds)
        sweep = [sweep_point(root, share, b_saturation, a_txs, b_txs, accounts, args) for share in args.sweep]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {"rounds": rounds, "ratios": ratios(rounds), "budget": budget(rounds), "sweep": sweep,
            "backpressure": args.backpressure, "tx_bytes": len(a_txs[0]), "txs": args.txs,
            "connections": args.connections, "transport": args.transport, "timeout_commit": args.timeout_commit}


def ratios(rounds: list[dict]) -> dict:
    def collect(kind_a, kind_b, phase, key):
        return [ratio(r[kind_a][phase][key], r[kind_b][phase][key]) for r in rounds]

    return {
        "tps_saturation_A/B": spread(collect("A", "B", "saturation", "tps")),
        "tps_saturation_A/B-builtin": spread(collect("A", "B-builtin", "saturation", "tps")),
        "p50_at_50pct_A/B": spread(collect("A", "B", "at_50pct", "p50_ms")),
        "p50_at_80pct_A/B": spread(collect("A", "B", "at_80pct", "p50_ms")),
        "p99_at_50pct_A/B": spread(collect("A", "B", "at_50pct", "p99_ms")),
    }


def total_cpu(figures: dict) -> float:
    """CPU seconds per 1,000 committed transactions, all processes of the run (client, node, app)."""
    return sum(v for v in figures["cpu_s_per_1000"].values() if v == v)   # skip NaN


def budget(rounds: list[dict]) -> dict:
    """The CPU budget behind the throughput floor, from the saturation runs (medians over rounds).

    At saturation both contenders are CPU-bound on the same cores, so throughput is about
    (cores busy) / (CPU per transaction).  A/B >= 0.8 then needs A's total CPU per
    transaction <= B's / 0.8; what is left of that after A's client and CometBFT is what
    the app may spend, to compare with one bare signature verification.
    """
    def med(values):
        return statistics.median(values)

    a = [r["A"]["saturation"] for r in rounds]
    b = [r["B"]["saturation"] for r in rounds]
    b_total = med([total_cpu(f) for f in b])
    a_rest = med([f["cpu_s_per_1000"]["client"] + f["cpu_s_per_1000"]["cometbft"] for f in a])
    cores = os.cpu_count() or 1
    return {"b_total_cpu_s_per_1000": round(b_total, 3), "a_total_cpu_s_per_1000": round(med([total_cpu(f) for f in a]), 3),
            "a_client_and_cometbft_cpu_s_per_1000": round(a_rest, 3),
            "a_app_cpu_s_per_1000": round(med([f["cpu_s_per_1000"]["app"] for f in a]), 3),
            "app_allowance_for_0.8_cpu_s_per_1000": round(b_total / 0.8 - a_rest, 3),
            "verify_cpu_s_per_1000": round(1000 / med([r["verify_per_s"] for r in rounds]), 3),
            "a_cpu_busy": round(med([total_cpu(f) * f["tps"] / 1000 / cores for f in a]), 2),
            "b_cpu_busy": round(med([total_cpu(f) * f["tps"] / 1000 / cores for f in b]), 2)}


SECTION_START, SECTION_END = "<!-- e2e:start -->", "<!-- e2e:end -->"
ROWS = (("saturation", "as fast as accepted"), ("at_50pct", "at 50% of B's saturation rate"),
        ("at_80pct", "at 80% of B's saturation rate"))


def section(report: dict, command: str) -> str:
    """Return the BENCHMARKS.md section for a report: every figure per contender and the A/B ratios."""
    from bench.inprocess import machine

    m = machine()
    lines = [SECTION_START, "## End to end: Samen next to CometBFT's kvstore — `make bench-e2e`", "",
             f"Command: `{command}`. One fresh single-validator home per run (identical `config.toml` and "
             f"genesis, `timeout_commit = {report['timeout_commit']}`, mempool size 5,000), "
             f"{report['txs']} transactions of {report['tx_bytes']} bytes per saturation run, sent by "
             f"`bench/loadgen.py` over {report['connections']} pipelined websocket connections (as fast as "
             f"accepted = pausing while the mempool holds {report.get('backpressure', 0):,} or more); commits read "
             "from the chain. Machine: "
             f"{m['nproc']} CPUs, {m['cpu']}; commit `{m['commit']}`; CometBFT {m['cometbft']} (client, node and "
             "app share the 2 cores).", "",
             "CPU columns: seconds per 1,000 committed transactions of the app process, the `cometbft` process, "
             "the load generator (`client`) and all three.", "",
             "| round | contender | load | committed tx/s | p50 ms | p99 ms | app CPU | cometbft CPU | client CPU | total CPU |",
             "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    for i, row in enumerate(report["rounds"], start=1):
        for kind in ("A", "B", "B-builtin"):
            for key, label in ROWS:
                if key not in row[kind]:
                    continue
                f = row[kind][key]
                cpu = f["cpu_s_per_1000"]
                lines.append(f"| {i} | {kind} | {label} | {f['tps']:,.0f} | {f['p50_ms']:,.0f} | {f['p99_ms']:,.0f} | "
                             f"{cpu.get('app', float('nan')):.3f} | {cpu.get('cometbft', float('nan')):.3f} | "
                             f"{cpu.get('client', float('nan')):.3f} | {total_cpu(f):.3f} |")
    lines += ["", "| ratio (median, min..max over rounds) | value |", "|---|---:|"]
    for name, v in report["ratios"].items():
        lines.append(f"| {name} | {v['median']:.2f} ({v['min']:.2f}..{v['max']:.2f}) |")
    lines += ["", *budget_lines(report["budget"]), *sweep_lines(report.get("sweep", [])), SECTION_END]
    return "\n".join(lines)


def sweep_lines(sweep: list[dict]) -> list[str]:
    """The rate sweep: committed rate and p50 of A and B at the same offered rates."""
    if not sweep:
        return []
    lines = ["", "Rate sweep (one pass; offered = a share of B's median saturation rate; a rate counts as "
             "sustained when the mempool never filled and >= 99% of what was sent committed):", "",
             "| offered tx/s (share of B) | A committed tx/s | A p50 ms | B committed tx/s | B p50 ms |",
             "|---|---:|---:|---:|---:|"]
    for p in sweep:
        marks = {k: "" if sustained(p, k) else " (not sustained)" for k in ("A", "B")}
        lines.append(f"| {p['rate']:,.0f} ({100 * p['share']:.0f}%) | {p['A']['tps']:,.0f}{marks['A']} | "
                     f"{p['A']['p50_ms']:,.0f} | {p['B']['tps']:,.0f}{marks['B']} | {p['B']['p50_ms']:,.0f} |")
    lines.append("")
    for kind in ("A", "B"):
        held = [p["rate"] for p in sweep if sustained(p, kind)]
        lines.append(f"* highest sustained offered rate, {kind}: " + (f"{max(held):,.0f} tx/s" if held else "none"))
    return lines


def budget_lines(b: dict) -> list[str]:
    """The CPU budget of the throughput floor, in words (figures from ``budget``)."""
    allowance = b["app_allowance_for_0.8_cpu_s_per_1000"]
    return [
        "CPU budget at saturation (medians over rounds; CPU seconds per 1,000 committed transactions): "
        f"B uses {b['b_total_cpu_s_per_1000']:.3f} in all processes and keeps the cores "
        f"{100 * b['b_cpu_busy']:.0f}% busy, A uses {b['a_total_cpu_s_per_1000']:.3f} "
        f"({100 * b['a_cpu_busy']:.0f}% busy), of which its app {b['a_app_cpu_s_per_1000']:.3f} and its client "
        f"and CometBFT {b['a_client_and_cometbft_cpu_s_per_1000']:.3f}. With the cores the limit, A/B >= 0.8 needs "
        f"A's total <= {b['b_total_cpu_s_per_1000'] / 0.8:.3f}, which leaves the app **{allowance:.3f}** "
        f"({1000 * allowance:.0f} µs per transaction) for everything it does; one bare ed25519 verification "
        f"(libsodium, same run) costs {b['verify_cpu_s_per_1000']:.3f} ({1000 * b['verify_cpu_s_per_1000']:.0f} µs).",
    ]


def write_section(text: str, start: str = SECTION_START, end: str = SECTION_END) -> None:
    """Replace the text between ``start`` and ``end`` in BENCHMARKS.md (append it if they are missing)."""
    path = Path(__file__).resolve().parents[1] / "BENCHMARKS.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if start in old and end in old:
        head, rest = old.split(start, 1)
        new = head + text + rest.split(end, 1)[1]
    else:
        new = old.rstrip("\n") + "\n\n" + text + "\n"
    path.write_text(new, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e", description=__doc__.splitlines()[0])
    parser.add_argument("--txs", type=int, default=30000, help="transactions per saturation run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--transport", choices=("ws", "http"), default="ws")
    parser.add_argument("--timeout-commit", default="1s")
    parser.add_argument("--latency-seconds", type=float, default=10.0, help="duration of each fixed-rate run")
    parser.add_argument("--backpressure", type=int, default=3000,
                        help="as fast as accepted: pause sending while the mempool (5,000) holds this many (0: never)")
    parser.add_argument("--sweep", type=lambda t: [float(x) for x in t.split(",") if x], default=[0.25, 0.5, 0.75, 1.0],
                        help="shares of B's saturation rate offered to A and B after the rounds ('' for none)")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    parser.add_argument("--write", action="store_true", help="write the figures into BENCHMARKS.md")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks: stop the nodes
    if not os.access(ABCI_CLI, os.X_OK):
        print("bench.e2e: abci-cli not found: run `make setup`", file=sys.stderr)
        return 1
    report = run(args)
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    if args.write:
        write_section(section(report, "python -m bench.e2e " + " ".join(argv if argv is not None else sys.argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
