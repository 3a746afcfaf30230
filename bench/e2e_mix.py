"""The collaboration mix end to end: Samen running the whole loop next to CometBFT's kvstore.

    python -m bench.e2e_mix [--cohorts 1000] [--timeout-commit 100ms] [--out FILE]

Each cohort (``bench.mix``: a requester, two providers, two more members) goes through
eight phases on a real single-validator node (``bench.e2e.Node``): create its organization,
fund the treasury, then the six phases of ``bench.mix`` (request and proposal, offers and
votes, acceptance into escrow, delivery, payout, ratings): 20 transactions per cohort, 8 of
them transfers.  Ids are assigned by the chain, so the phases run one after another: every
phase's transactions are signed before its clock starts, sent as fast as the node accepts
(``bench.loadgen``, as ``bench.e2e`` sends), and the next phase starts once all of them are
committed; the ids of the objects a phase created follow from the order the chain executed
it (each kind's counter counts up from 1, and only this workload creates objects).  Every
transaction must succeed, or the run stops.

Three contenders, one fresh node each, the same phases, counts and byte sizes:
  A-mix        the collaboration mix;
  A-transfers  signed transfers in phases of the same sizes (the transfer baseline, paying the
               same phase boundaries);
  B            kvstore transactions, each padded to the size of the mix transaction in its place.
The rate is committed transactions over the phases' summed durations (first send to last
commit of each phase; the gaps between phases, when nothing is in flight, do not count).
The nodes make empty blocks (``create_empty_blocks = true``, every contender alike): without
them, transactions that reach the mempool while a block is being committed can wait there for
the next transaction to arrive (tendermint/tendermint#2961), which a phase's tail never sends.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations.state import treasury_address
from bench import e2e
from bench.loadgen import AUTO, run_load
from bench.mix import Cohort, Mix

PHASES = ("create", "fund", "request", "offer", "accept", "deliver", "payout", "rate")
START_PHASE = 2   # PHASES[2:] are bench.mix's phases 1-6


SLOTS = {"CreateOrganization": "org", "PostRequest": "request", "SubmitProposal": "proposal",
         "AcceptOffer": "agreement"}   # the cohort attribute each creating action's new id goes to


class E2EMix(Mix):
    """``bench.mix`` with the e2e chain id, two setup phases, and ids taken from the chain's order."""

    def sign(self, signer, action) -> bytes:
        seq = self.sequences.get(signer.address, 0)
        self.sequences[signer.address] = seq + 1
        return signer.sign_tx(e2e.CHAIN_ID, seq, action)

    def pairs(self, c: Cohort, phase: int, now: int) -> list:
        """The cohort's ``(signer, action)`` pairs of ``PHASES[phase]``."""
        if phase == 0:
            return [self.create_org(c)]
        if phase == 1:
            return [(c.r, Transfer(treasury_address(c.org), 1_000))]
        return self.steps(c, phase - START_PHASE + 1, now)

    def phase(self, phase: int, now: int, as_transfer: bool = False) -> tuple[list[bytes], list[tuple]]:
        """Signed transactions of ``phase`` and, per transaction, ``(cohort, kind, slot)`` for ``take_ids``.

        ``as_transfer``: the same signers each send a 1-unit transfer instead (the baseline).
        """
        txs, owners = [], []
        for c in self.cohorts:
            for signer, action in self.pairs(c, phase, now):
                kind = type(action).__name__
                slot = "offer" if kind == "MakeOffer" and signer is c.p1 else SLOTS.get(kind)
                txs.append(self.sign(signer, Transfer(c.m2.address, 1) if as_transfer else action))
                owners.append((c, kind, slot))
        return txs, owners

    @staticmethod
    def take_ids(owners: list[tuple], order: list[int]) -> None:
        """Set each cohort's ids from the execution order: the n-th creation of a kind got id n."""
        counters: dict[str, int] = {}
        for index in order:
            cohort, kind, slot = owners[index]
            counters[kind] = counters.get(kind, 0) + 1
            if slot is not None:
                setattr(cohort, slot, counters[kind])


def one_contender(root: Path, kind: str, cohorts: int, sizes: list[list[int]] | None, args) -> dict:
    """Run every phase on one fresh node and return its figures (``totals``) and its sizes per phase.

    ``sizes`` (B only): the mix's transaction sizes per phase, which B's transactions copy.
    """
    mix = E2EMix(cohorts)
    accounts = [(p.address, 10**9) for c in mix.cohorts for p in c.people()]
    node = e2e.Node(root, "B" if kind == "B" else "A", accounts, args.timeout_commit, empty_blocks=True)
    phases, sizes_seen, kv_next = [], [], 0
    try:
        node.start()
        for phase, name in enumerate(PHASES):
            now = int(time.time())
            if kind == "B":
                txs, owners = kv_phase(kv_next, sizes[phase]), []
                kv_next += len(txs)
            else:
                txs, owners = mix.phase(phase, now, as_transfer=kind == "A-transfers")
            result = asyncio.run(run_load(node.rpc_url, txs, connections=args.connections, deadline=120.0,
                                          pids=node.pids(), transport="ws", backpressure=AUTO))
            if result.committed != len(txs):
                raise RuntimeError(f"{kind} phase {name}: {result.committed} of {len(txs)} committed "
                                   f"({result.rejected} refused, {result.failed_in_block} failed in a block)")
            if kind == "A-mix":
                mix.take_ids(owners, result.order)
            app_caught_up(node.rpc_url)
            phases.append({"phase": name, **result.summary(), "latencies": result.latencies})
            sizes_seen.append([len(t) for t in txs])
            print(f"{kind} {name}: {len(txs)} txs, {result.tps:,.0f} tx/s", file=sys.stderr, flush=True)
    finally:
        node.stop()
    return {**totals(phases), "sizes": sizes_seen}


def app_caught_up(rpc_url: str, timeout: float = 30.0) -> None:
    """Wait until the app has committed the latest block (CometBFT stores a block before the app commits it,
    and a dependent phase's CheckTx must see the objects the previous phase created)."""
    top = int(httpx.get(f"{rpc_url}/status", timeout=10).json()["result"]["sync_info"]["latest_block_height"])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = httpx.get(f"{rpc_url}/abci_info", timeout=10).json()["result"]["response"]
        if int(info.get("last_block_height", 0)) >= top:
            return
        time.sleep(0.02)
    raise RuntimeError(f"the app did not commit height {top} within {timeout:.0f} s")


def kv_phase(first: int, sizes: list[int]) -> list[bytes]:
    """kvstore transactions numbered from ``first``, each of the given size."""
    out = []
    for i, size in enumerate(sizes):
        head = f"m{first + i:09d}=".encode()
        out.append(head + b"v" * max(0, size - len(head)))
    return out


def totals(phases: list[dict]) -> dict:
    """The contender's figures over all phases (rate: committed over the summed phase durations)."""
    committed = sum(p["committed"] for p in phases)
    seconds = sum(p["seconds"] for p in phases)
    latencies = sorted(x for p in phases for x in p.pop("latencies"))
    cpu: dict[str, float] = {}
    for p in phases:
        for name, per_1000 in p["cpu_s_per_1000"].items():
            cpu[name] = cpu.get(name, 0.0) + per_1000 * p["committed"] / 1000
    return {"committed": committed, "seconds": round(seconds, 3), "tps": round(committed / seconds, 1),
            "p50_ms": round(1000 * latencies[len(latencies) // 2], 1),
            "p99_ms": round(1000 * latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)], 1),
            "cpu_s_per_1000": {k: round(1000 * v / committed, 3) for k, v in sorted(cpu.items())},
            "phases": [{k: v for k, v in p.items() if k != "sizes"} for p in phases]}


def run(args) -> dict:
    root = Path(tempfile.mkdtemp(prefix="e2e-mix-", dir="/tmp"))
    out: dict = {"cohorts": args.cohorts, "timeout_commit": args.timeout_commit, "cores": os.cpu_count(),
                 "load_before": os.getloadavg()[0]}
    try:
        out["A-mix"] = one_contender(root, "A-mix", args.cohorts, None, args)
        out["A-transfers"] = one_contender(root, "A-transfers", args.cohorts, None, args)
        out["B"] = one_contender(root, "B", args.cohorts, out["A-mix"]["sizes"], args)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    out["load_after"] = os.getloadavg()[0]
    for kind in ("A-mix", "A-transfers", "B"):
        sizes = out[kind].pop("sizes")
        out[kind]["bytes_mean"] = round(statistics.mean(x for phase in sizes for x in phase), 1)
    out["mix/transfers"] = round(out["A-mix"]["tps"] / out["A-transfers"]["tps"], 2)
    out["mix/B"] = round(out["A-mix"]["tps"] / out["B"]["tps"], 2)
    return out


def table(report: dict) -> str:
    """The contenders side by side (markdown)."""
    lines = ["| contender | txs | mean bytes | committed tx/s | p50 ms | p99 ms | app CPU | cometbft CPU | client CPU |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind in ("A-mix", "A-transfers", "B"):
        r = report[kind]
        cpu = r["cpu_s_per_1000"]
        lines.append(f"| {kind} | {r['committed']:,} | {r['bytes_mean']:.0f} | {r['tps']:,.0f} | {r['p50_ms']:,.0f} | "
                     f"{r['p99_ms']:,.0f} | {cpu.get('app', float('nan')):.3f} | {cpu.get('cometbft', float('nan')):.3f} | "
                     f"{cpu.get('client', float('nan')):.3f} |")
    lines += ["", f"mix / transfers (committed tx/s, same run): **{report['mix/transfers']:.2f}**; "
              f"mix / B: {report['mix/B']:.2f}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.e2e_mix", description=__doc__.splitlines()[0])
    parser.add_argument("--cohorts", type=int, default=1000, help="cohorts (20 transactions each)")
    parser.add_argument("--timeout-commit", default="100ms")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--out", type=Path, default=None, help="write the JSON report here")
    args = parser.parse_args(argv)
    return e2e.run_and_report("bench.e2e_mix", args, run, table)


if __name__ == "__main__":
    sys.exit(main())
