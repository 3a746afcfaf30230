"""Adversarial benchmark (issue #12): a block where N items fall due in the same second, and every message kind.

    python -m bench.adversarial [--sizes 1000,10000,100000,1000000] [--repeat 3] [--drain 4] [--write]

Part 1, due queues.  For requests (N requests sharing one ``offers_until``) and for
agreements (N milestones sharing one reclaim time), each N on a fresh LMDB store:
the state is written directly through the domain's state functions and committed as
one block (with its state tree), then the REAL ``LedgerApp.finalize_block`` runs the
block at that second.  Its time is the median of ``--repeat`` runs (FinalizeBlock
writes nothing to disk, so it can be re-run at the same height), wall clock and the
thread's CPU time.  All sizes of a queue are built first and their runs alternate
(one run per size per round, the order reversed every other round), so a change in
the shared machine's load hits every size alike; the block is then
committed and ``--drain`` more blocks follow, each of which must report, through its
``due_queue`` event, that it handled exactly the cap while more wait (the last
block of a backlog that fits reports ``more = false``).  The floor: FinalizeBlock at
the largest N is at most 1.5 x FinalizeBlock at N = 1,000.

Part 2, per message kind (``bench.adversarial_kinds``): worst-case-sized
transactions of every kind, timed one by one through ``block.execute_tx`` on the
block overlay; µs per transaction and per byte.

``--write`` puts both tables into the "Adversarial benchmark" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from abci_app.chain import apphash
from abci_app.adapter.app import LedgerApp
from abci_app.chain.domain import due
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.market import keys as market_keys, params as market_params, state as market
from abci_app.chain.state.delta import Delta
from abci_app.adapter.storage.store import Store
from bench import adversarial_kinds
from tests.support.calls import counted_calls

CHAIN_ID = "bench-adversarial"
START = 1_700_000_000
DAY = 86_400
REQUESTER = "samen1" + "q" * 38
PROVIDER = "samen1" + "p" * 38
FLOOR = 1.5
REPO = Path(__file__).resolve().parents[1]
SECTION_START, SECTION_END = "<!-- adversarial:start -->", "<!-- adversarial:end -->"


def fresh_app(folder: Path) -> LedgerApp:
    """An app on its own LMDB store with genesis committed (one empty block at ``START``)."""
    app = LedgerApp(Store(folder, map_size=64 << 30))
    app.init_chain(CHAIN_ID, json.dumps({"accounts": []}).encode())
    app.finalize_block(1, START, b"\x01" * 20, [])
    app.commit()
    return app


def inject(app: LedgerApp, fill) -> None:
    """Commit one block whose writes are whatever ``fill(delta)`` writes (set-up only: no transactions)."""
    delta = Delta(app.base)
    fill(delta)
    height = app.committed.height + 1
    tree = app._next_tree(delta, height)
    writes = delta.write_set()
    app.close()
    app.store.commit(writes, height, apphash.app_hash(tree), app.chain_id, app.committed.time, {}, tree=tree)
    app.committed = app.store.committed()
    app._open_snapshot()


def due_time(item: int, n: int, due_at: int) -> int:
    """The first ``n`` items fall due at ``due_at``; the rest (the background state) a day later."""
    return due_at if item <= n else due_at + DAY


def fill_requests(n: int, due_at: int, total: int):
    """``total`` open requests of one poster, the first ``n`` open until ``due_at``."""
    def fill(state) -> None:
        for request_id in range(1, total + 1):
            request = market.Request(request_id, REQUESTER, "Train volunteers in first aid", "Two evenings",
                                     ("first-aid",), 1_000, due_time(request_id, n, due_at), (), 0,
                                     market.RequestStatus.OPEN, START)
            market.put_request(state, request)
            market.schedule(state, request)
        state.put(market_keys.next_id("request"), str(total + 1).encode())
    return fill


def fill_agreements(n: int, due_at: int, total: int):
    """``total`` undelivered single-milestone agreements, the first ``n`` reclaimable at ``due_at``."""
    def fill(state) -> None:
        for agreement_id in range(1, total + 1):
            item_due = due_time(agreement_id, n, due_at)
            milestone = agreements.Milestone("delivery", 100, item_due - DAY, due_at=item_due)
            agreement = agreements.Agreement(
                id=agreement_id, requester=REQUESTER, provider=PROVIDER, arbiter="", price=100, escrow=100, terms=b"",
                tags=("first-aid",), project_id=0, request_id=0, standing_offer_id=0, milestones=(milestone,),
                created_at=START, posted_at=START, first_offer_at=0, txs=1, fees=0)
            agreements.put(state, agreement)
            agreements.schedule(state, agreement_id, 0, item_due)
        accounts.put(state, agreements.ESCROW, accounts.Account(100 * total))
        accounts.set_supply(state, accounts.supply(state) + 100 * total)
        state.put(b"agr/seq", str(total + 1).encode())
    return fill


QUEUES = {"requests": (due.REQUESTS, fill_requests), "agreements": (due.MILESTONES, fill_agreements)}


def report_of(result, queue: str):
    found = [e for e in result.events if isinstance(e, due.DueQueue) and e.queue == queue]
    assert len(found) == 1, f"expected one due_queue report for {queue}, got {found}"
    return found[0]


@dataclass
class DueCase:
    """One queue's state of N due items on its own store, ready for its due block."""
    kind: str
    n: int
    total: int
    tmp: tempfile.TemporaryDirectory
    app: LedgerApp
    due_at: int
    setup_s: float
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    @property
    def height(self) -> int:
        return self.app.committed.height + 1

    def finalize(self):
        return self.app.finalize_block(self.height, self.due_at, b"\x01" * 20, [])


def prepare_due(kind: str, n: int, background: int = 0) -> DueCase:
    """Build N due items of ``kind`` (in a state of at least ``background`` such items) on a fresh store."""
    _, fill = QUEUES[kind]
    tmp = tempfile.TemporaryDirectory(prefix="samen-adv-")
    app = fresh_app(Path(tmp.name))
    due_at = START + 10 * DAY
    began = time.perf_counter()
    inject(app, fill(n, due_at, max(n, background)))
    return DueCase(kind, n, max(n, background), tmp, app, due_at, time.perf_counter() - began)


def time_due(case: DueCase) -> None:
    """One timed run of the due block (FinalizeBlock writes nothing to disk: it can be re-run)."""
    began, cpu = time.perf_counter_ns(), time.thread_time_ns()
    case.finalize()
    case.cpu_ms.append((time.thread_time_ns() - cpu) / 1e6)
    case.wall_ms.append((time.perf_counter_ns() - began) / 1e6)


def finish_due(case: DueCase, drain: int) -> dict:
    """Count the due block's calls, commit it, follow the drain, and close the store."""
    queue, _ = QUEUES[case.kind]
    app, height, due_at = case.app, case.height, case.due_at
    cap = market_params.get(app.base).max_due_per_block
    result, calls = counted_calls(case.finalize)
    reports = [report_of(result, queue)]
    began = time.perf_counter_ns()
    app.commit()
    commit_ms = (time.perf_counter_ns() - began) / 1e6
    drain_ms = []
    for step in range(1, drain + 1):
        if not reports[-1].more:
            break
        began = time.perf_counter_ns()
        result = app.finalize_block(height + step, due_at + 5 * step, b"\x01" * 20, [])
        drain_ms.append((time.perf_counter_ns() - began) / 1e6)
        app.commit()
        reports.append(report_of(result, queue))
    app.store.close()
    case.tmp.cleanup()
    check_drain(reports, case.n, cap)
    return {"kind": case.kind, "n": case.n, "total": case.total, "cap": cap,
            "finalize_ms": statistics.median(case.wall_ms), "runs_ms": case.wall_ms,
            "cpu_ms": statistics.median(case.cpu_ms), "calls": calls, "commit_ms": commit_ms, "drain_ms": drain_ms,
            "setup_s": case.setup_s, "reports": [(r.processed, r.more) for r in reports],
            "blocks_to_drain": -(-case.n // cap)}


def measure_queue(kind: str, sizes: list[int], repeat: int, drain: int, background: int = 0) -> list[dict]:
    """Every N of one queue, its due blocks timed in alternating rounds (round r: one run per N,
    the order reversed every other round), so the machine's load hits all sizes alike."""
    cases = [prepare_due(kind, n, background) for n in sizes]
    for round_ in range(repeat):
        for case in (cases if round_ % 2 == 0 else cases[::-1]):
            time_due(case)
    return [finish_due(case, drain) for case in cases]


def measure_due(kind: str, n: int, repeat: int, drain: int, background: int = 0) -> dict:
    """One N on its own: build, time ``repeat`` runs, follow the drain."""
    return measure_queue(kind, [n], repeat, drain, background)[0]


def check_drain(reports: list, n: int, cap: int) -> None:
    """Every block handled the cap while more waited; a backlog that ended did so exactly at N."""
    for index, report in enumerate(reports):
        left = n - index * cap
        assert report.processed == min(cap, left), f"block {index} handled {report.processed}, expected {min(cap, left)}"
        assert report.more == (left > cap), f"block {index} reported more={report.more} with {left - cap} left"


def load_text(loads: list[float]) -> str:
    """The 1-minute load average at the start and after each queue (the machine is shared)."""
    return " → ".join(f"{load:.1f}" for load in loads)


def machine() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO).stdout
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return (f"{os.cpu_count()} CPUs, {cpu}; Python {platform.python_version()}; commit `{commit.strip()}`; "
            "the machine was shared with other jobs during the run (figures are noisy)")


def due_table(rows: list[dict]) -> list[str]:
    lines = ["| queue | items due in one second | items in state | FinalizeBlock (median) | runs | CPU (median) "
             "| function calls | Commit | next blocks (FinalizeBlock) | handled per block (processed, more) "
             "| blocks to drain at the cap | set-up |",
             "|---|---:|---:|---:|---|---:|---:|---:|---|---|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['n']:,} | {r['total']:,} | {r['finalize_ms']:.1f} ms | "
                     f"{', '.join(f'{t:.0f}' for t in r['runs_ms'])} ms | {r['cpu_ms']:.1f} ms | {r['calls']:,} | "
                     f"{r['commit_ms']:.0f} ms | "
                     f"{', '.join(f'{t:.0f}' for t in r['drain_ms'])} ms | {r['reports']} | "
                     f"{r['blocks_to_drain']:,} | {r['setup_s']:.0f} s |")
    return lines


def ratios(rows: list[dict]) -> list[str]:
    """Each N against N = 1,000 of the same queue, in time and in function calls."""
    out = []
    for kind in QUEUES:
        mine = sorted((r for r in rows if r["kind"] == kind), key=lambda r: r["n"])
        if len(mine) < 2 or mine[0]["n"] != 1000:
            continue
        base = mine[0]
        for row in mine[1:]:
            ratio, work = row["finalize_ms"] / base["finalize_ms"], row["calls"] / base["calls"]
            cpu = row["cpu_ms"] / base["cpu_ms"]
            verdict = "meets" if ratio <= FLOOR else "MISSES"
            out.append(f"{kind}: FinalizeBlock at {row['n']:,} / at 1,000 = **{ratio:.2f}** in time ({verdict} the "
                       f"floor of {FLOOR}), {cpu:.2f} in CPU time, **{work:.2f}** in function calls "
                       "(load-independent).")
    return out


def write_section(text: str) -> None:
    path = REPO / "BENCHMARKS.md"
    current = path.read_text()
    block = f"{SECTION_START}\n{text}\n{SECTION_END}"
    if SECTION_START in current:
        head, rest = current.split(SECTION_START, 1)
        current = head + block + rest.split(SECTION_END, 1)[1]
    else:
        current = current.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(current)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--queues", default="requests,agreements")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--drain", type=int, default=4)
    parser.add_argument("--background", type=int, default=0,
                        help="hold at least this many items of the queue in every state (the rest due a day later), "
                             "so each N is measured on a state of the same size")
    parser.add_argument("--no-kinds", action="store_true", help="skip the per-message-kind table")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows: list[dict] = []
    loads = [os.getloadavg()[0]]
    for kind in args.queues.split(","):
        rows += measure_queue(kind, [int(s) for s in args.sizes.split(",")], args.repeat, args.drain, args.background)
        loads.append(os.getloadavg()[0])
        print("\n".join(due_table(rows)[2:]), flush=True)
    lines = ["## Adversarial benchmark — `make bench-adversarial`", "",
             f"Command: `make bench-adversarial` (`python -m bench.adversarial --sizes {args.sizes} "
             f"--background {args.background} --repeat {args.repeat}`; each queue's sizes built first, then "
             f"timed in alternating rounds; load average {load_text(loads)}). "
             f"Machine: {machine()}.", "", *due_table(rows), "", *ratios(rows)]
    if not args.no_kinds:
        lines += ["", *adversarial_kinds.table(adversarial_kinds.measure())]
    text = "\n".join(lines)
    print(text)
    if args.write:
        write_section(text)


if __name__ == "__main__":
    main()
