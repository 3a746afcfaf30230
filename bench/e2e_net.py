"""A four-validator loopback network: Samen (A) next to CometBFT's kvstore (B), the same load.

    python -m bench.e2e_net [--txs 10000] [--validators 4] [--timeout-commit 100ms] [--out FILE]

Per contender one fresh network made by ``samen testnet init`` (``abci_app.tools.node.testnet``:
one genesis, every validator a persistent peer of every other, power 10 each, p2p on 127.0.0.1),
with the configuration ``bench.e2e`` gives its single node (mempool ``MEMPOOL_SIZE``, no empty
blocks, log level error).  A runs ``python -m abci_app`` beside each ``cometbft``; B runs
``abci-cli kvstore`` on the same unix socket.  The load generator (``bench.loadgen``, as
``bench.e2e`` sends) talks to validator 0 only, as a client with one RPC endpoint would;
transactions reach the other validators by mempool gossip and blocks by consensus.  Each
contender gets a closed-loop run (as fast as accepted), an open-loop run offered B's
closed-loop rate (the better of the two is its saturation rate, as in ``bench.e2e``) and a
run at 50% of B's saturation rate for latency; CPU is summed over the four apps and the four ``cometbft`` processes.
Every process of both networks shares the machine's cores, so the figure measures the cost
of gossip and votes on top of a single node, not a network's capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from abci_app.tools.node import testnet, testnet_procs
from abci_app.tools.node.cometbft import patch_config
from abci_app.tools.node.home import socket_path
from bench import e2e, e2e_report
from bench.loadgen import AUTO, run_load


def free_base(span: int) -> int:
    """A base port whose next ``span`` ports are free on 127.0.0.1 (probed, then released)."""
    for _ in range(50):
        base = e2e.free_port()
        if base + span >= 65535:
            continue
        try:
            probes = []
            for port in range(base, base + span):
                s = socket.socket()
                probes.append(s)
                s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            for s in probes:
                s.close()
        return base
    raise RuntimeError("no free range of loopback ports")


class Net:
    """One network of ``validators`` nodes of contender ``kind`` (A or B) under ``root``."""

    def __init__(self, root: Path, kind: str, validators: int, accounts, timeout_commit: str) -> None:
        self.kind, self.procs = kind, {}
        base = free_base(10 * validators)
        self.net = testnet.init_testnet(Path(tempfile.mkdtemp(prefix=f"net-{kind}-", dir=root)), validators,
                                        e2e.CHAIN_ID, base, timeout_commit, accounts=tuple(accounts))
        for node in self.net.nodes:
            patch_config(Path(node.home) / "config" / "config.toml", {
                ("mempool", "size"): e2e.MEMPOOL_SIZE, ("consensus", "create_empty_blocks"): False,
                ("", "log_level"): "error", ("instrumentation", "prometheus"): False})

    @property
    def rpc_url(self) -> str:
        return self.net.nodes[0].rpc_url

    def start(self) -> None:
        for i, node in enumerate(self.net.nodes):
            if self.kind == "A":
                self.procs[f"app{i}"] = testnet_procs.start_app(node)
            else:
                testnet_procs.log_path(node, "abci").parent.mkdir(exist_ok=True)
                log = open(testnet_procs.log_path(node, "abci"), "ab")
                self.procs[f"app{i}"] = subprocess.Popen(
                    [str(e2e.ABCI_CLI), "kvstore", "--address", f"unix://{socket_path(Path(node.home))}",
                     "--persist", str(Path(node.home) / "data" / "kvstore")], stdout=log, stderr=log,
                    start_new_session=True)
                time.sleep(0.5)
        for i, node in enumerate(self.net.nodes):
            self.procs[f"cometbft{i}"] = testnet_procs.spawn(node, "cometbft")
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if all(self._height(n.rpc_url) >= 1 for n in self.net.nodes):
                return
            time.sleep(0.3)
        raise RuntimeError(f"{self.kind} network did not reach height 1; see {self.net.root}/node*/logs")

    @staticmethod
    def _height(url: str) -> int:
        try:
            return int(httpx.get(f"{url}/status", timeout=2).json()["result"]["sync_info"]["latest_block_height"])
        except (httpx.HTTPError, KeyError, ValueError):
            return 0

    def pids(self) -> dict[str, int]:
        return {name: p.pid for name, p in self.procs.items()}

    def stop(self) -> None:
        for name in sorted(self.procs, key=lambda n: not n.startswith("cometbft")):   # CometBFT first
            proc = self.procs[name]
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        shutil.rmtree(self.net.root, ignore_errors=True)


def one_run(root: Path, kind: str, txs: list[bytes], accounts, rate: float | None, args) -> dict:
    """A fresh network of ``kind``, ``txs`` sent to validator 0; figures with CPU summed per role."""
    net = Net(root, kind, args.validators, accounts, args.timeout_commit)
    try:
        net.start()
        result = asyncio.run(run_load(net.rpc_url, txs, rate=rate, connections=4, transport="ws", pids=net.pids(),
                                      deadline=max(90.0, 3 * len(txs) / (rate or 200)),
                                      backpressure=None if rate else AUTO))
        figures = result.summary()
        figures["limit"] = e2e_report.limit(figures, os.cpu_count() or 1)   # per process: app0..., cometbft0...
        cpu = figures["cpu_s_per_1000"]
        figures["cpu_s_per_1000"] = {"app": round(sum(v for k, v in cpu.items() if k.startswith("app")), 3),
                                     "cometbft": round(sum(v for k, v in cpu.items() if k.startswith("cometbft")), 3),
                                     "client": cpu.get("client", float("nan"))}
        print(f"net {kind} {'saturation' if rate is None else f'at {rate:.0f} tx/s'}: {figures}", file=sys.stderr,
              flush=True)
        return figures
    finally:
        net.stop()


def run(args) -> dict:
    keys = e2e.signers(args.txs)
    a_txs = e2e.samen_txs(keys)
    txs = {"A": a_txs, "B": e2e.kv_txs(args.txs, len(a_txs[0]))}
    accounts = [(k.address, 1_000) for k in keys]
    root = Path(tempfile.mkdtemp(prefix="e2e-net-", dir="/tmp"))
    out: dict = {"validators": args.validators, "timeout_commit": args.timeout_commit, "txs": args.txs,
                 "tx_bytes": len(a_txs[0]), "cores": os.cpu_count(), "load_before": os.getloadavg()[0]}
    try:
        for kind in ("A", "B"):
            out[kind] = {"saturation": one_run(root, kind, txs[kind], accounts, None, args)}
        overload = out["B"]["saturation"]["tps"]   # open loop at B's closed-loop rate (as in ``bench.e2e``)
        for kind in ("A", "B"):
            out[kind]["at_100pct_closed"] = one_run(root, kind, txs[kind], accounts, overload, args)
        rate = e2e_report.saturation_rate(out["B"]) / 2
        count = min(args.txs, max(200, int(rate * args.latency_seconds)))
        for kind in ("A", "B"):
            out[kind]["at_50pct"] = one_run(root, kind, txs[kind][:count], accounts, rate, args)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    out["load_after"] = os.getloadavg()[0]
    out["A/B committed tx/s"] = round(e2e_report.saturation_rate(out["A"]) / e2e_report.saturation_rate(out["B"]), 2)
    out["A/B p50 at 50%"] = round(out["A"]["at_50pct"]["p50_ms"] / out["B"]["at_50pct"]["p50_ms"], 2)
    return out


def table(report: dict) -> str:
    lines = ["| contender | load | committed tx/s | block ms | txs/block | p50 ms | p99 ms | apps CPU | cometbfts CPU "
             "| client CPU | limited by |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    for kind in ("A", "B"):
        for load, label in (("saturation", "as fast as accepted"), ("at_100pct_closed", "offered B's closed-loop rate"),
                            ("at_50pct", "at 50% of B's saturation")):
            if load not in report[kind]:
                continue
            r = report[kind][load]
            cpu = r["cpu_s_per_1000"]
            lines.append(f"| {kind} | {label} | {r['tps']:,.0f} | {r['block_ms']:,.0f} | {r['txs_per_block']:,.0f} | "
                         f"{r['p50_ms']:,.0f} | {r['p99_ms']:,.0f} | {cpu['app']:.3f} | {cpu['cometbft']:.3f} | "
                         f"{cpu['client']:.3f} | {r['limit']} |")
    lines += ["", f"A/B saturation rate (the best of the closed-loop and overload runs): "
              f"**{report['A/B committed tx/s']:.2f}**; "
              f"p50 at 50% of B's saturation A/B: **{report['A/B p50 at 50%']:.2f}**"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e_net", description=__doc__.splitlines()[0])
    parser.add_argument("--txs", type=int, default=10000)
    parser.add_argument("--validators", type=int, default=4)
    parser.add_argument("--timeout-commit", default="100ms")
    parser.add_argument("--latency-seconds", type=float, default=6.0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    return e2e.run_and_report("bench.e2e_net", args, run, table)


if __name__ == "__main__":
    sys.exit(main())
