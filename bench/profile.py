"""Where the app's CPU goes under saturation load: a py-spy profile of a real node, summarised.

    python -m bench.profile [--txs 30000] [--rate R] [--backpressure 3000] [--write]

Starts one single-validator Samen node exactly as ``bench.e2e`` does (contender A),
samples the app process with ``py-spy record`` (raw format, busy samples of every
thread: the event loop and the signature worker, ``abci_app.adapter.preverify``) while
``bench.loadgen`` sends ``--txs`` signed transfers (as ``bench.e2e`` does), and reports the share of the app's
busy samples spent in each stage of the transaction path (a frame counts once per
sample, so nested stages are shares of their parent) and the functions with the most
self time.  ``--write`` puts the tables in BENCHMARKS.md between the ``profile`` markers.
py-spy is installed by ``make bench-profile``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SECTION_START, SECTION_END = "<!-- profile:start -->", "<!-- profile:end -->"

# (label, function, file) in report order; the indentation of a label shows nesting.
STAGES = (
    ("CheckTx (NEW and RECHECK)", "AbciServer.check_tx", "server.py"),
    ("  ed25519 verification (libsodium)", "crypto_sign_open", "crypto_sign.py"),
    ("  transaction decoding (protobuf, canonical check)", "_decode_tx", "txcodec.py"),
    ("  signer address (SHA-256, bech32)", "from_public_key", "addresses.py"),
    ("  sequence, fee and transfer on the check state", "authenticate", "auth.py"),
    ("  RECHECK replay check", "_Checked.holds", "recheck.py"),
    ("FinalizeBlock", "AbciServer.finalize_block", "server.py"),
    ("  executing the block's transactions", "run_block", "block.py"),
    ("  Merkle tree update (app hash)", "next_tree", "apphash.py"),
    ("  block and transaction records (GraphQL indexes)", "rows", "records.py"),
    ("  building the protobuf response", "exec_tx_result", "responses.py"),
    ("Commit (LMDB write)", "AbciServer.commit", "server.py"),
    ("Signature worker thread (new CheckTx signatures, off the event loop)", "verify_all", "preverify.py"),
    ("  ed25519 verification there (GIL released)", "crypto_sign_open", "crypto_sign.py"),
    ("ABCI framing, protobuf parsing, event loop (outside the handlers)", None, None),
)
WORKER = ("verify_all", "preverify.py")
_FRAME = re.compile(r"^(?P<name>.*?) \((?P<file>[^():]*?)(?::\d+)?\)$")


def parse_raw(text: str) -> tuple[int, list[tuple[list[tuple[str, str]], int]]]:
    """Parse py-spy's raw (collapsed) output into (total samples, [(frames, count)])."""
    stacks, total = [], 0
    for line in text.splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        frames = []
        for frame in stack.split(";"):
            m = _FRAME.match(frame)
            frames.append((m["name"], Path(m["file"]).name) if m else (frame, ""))
        stacks.append((frames, int(count)))
        total += int(count)
    return total, stacks


def shares(text: str, top: int = 15) -> dict:
    """Return each stage's inclusive share of the samples and the top self-time functions."""
    total, stacks = parse_raw(text)
    inclusive, own = collections.Counter(), collections.Counter()
    handlers = 0
    for frames, count in stacks:
        names = set(frames)
        worker = WORKER in names
        for label, function, file in STAGES:
            in_worker_stage = label.startswith("Signature worker") or label.startswith("  ed25519 verification there")
            if function is not None and (function, file) in names and worker == in_worker_stage:
                inclusive[label] += count
        if ("AbciServer.call", "server.py") in names or worker:
            handlers += count
        name, file = frames[-1]
        own[f"{name} ({file})"] += count
    inclusive[STAGES[-1][0]] = total - handlers

    def pct(n: int) -> float:
        return round(100 * n / total, 1) if total else 0.0

    return {"samples": total, "stages": [(label, pct(inclusive[label])) for label, _, _ in STAGES],
            "self": [(name, pct(n)) for name, n in own.most_common(top)]}


def section(report: dict, command: str, load: dict) -> str:
    from bench.inprocess import machine

    m = machine()
    lines = [SECTION_START, "### Profile of the app under saturation load at 100 ms blocks — `make bench-profile`", "",
             f"Command: `{command}` (py-spy, {report['samples']:,} busy samples of the app process; "
             f"load: {load['sent']:,} transfers sent, {load['committed']:,} committed at {load['tps']:,.0f} tx/s, "
             f"app CPU {load['cpu_s_per_1000'].get('app', float('nan')):.3f} s per 1,000 committed).  Machine: "
             f"{m['nproc']} CPUs, {m['cpu']}; commit `{m['commit']}`; CometBFT {m['cometbft']}; load average "
             f"(1 min) {os.getloadavg()[0]:.1f} at the end.", "",
             "| stage (share of the app's busy samples) | % |", "|---|---:|"]
    lines += [f"| {label.replace('  ', '&nbsp;&nbsp;↳ ', 1) if label.startswith('  ') else label} | {p:.1f} |"
              for label, p in report["stages"]]
    lines += ["", "| function with the most self time | % |", "|---|---:|"]
    lines += [f"| `{name}` | {p:.1f} |" for name, p in report["self"]]
    lines.append(SECTION_END)
    return "\n".join(lines)


def run(args) -> tuple[dict, dict]:
    from bench import e2e
    from bench.loadgen import run_load

    keys = e2e.signers(args.txs)
    txs = e2e.samen_txs(keys)
    root = Path(tempfile.mkdtemp(prefix="profile-", dir="/tmp"))
    node = e2e.Node(root, "A", [(k.address, 1_000) for k in keys], args.timeout_commit)
    raw = root / "app.raw"
    try:
        node.start()
        spy = subprocess.Popen([args.py_spy, "record", "--pid", str(node.procs["app"].pid), "--format", "raw",
                                "--rate", "250", "--nonblocking", "--output", str(raw)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            load = asyncio.run(run_load(node.rpc_url, txs, rate=args.rate, connections=4, deadline=120,
                                        pids=node.pids(), transport="ws", backpressure=args.backpressure)).summary()
        finally:
            spy.send_signal(2)
            spy.wait(60)
        return shares(raw.read_text()), load
    finally:
        node.stop()
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    parser.add_argument("--txs", type=int, default=30000)
    parser.add_argument("--backpressure", type=int, default=3000, help="as in bench.e2e")
    parser.add_argument("--timeout-commit", default="1s", help="block cadence of the profiled node (e.g. 100ms)")
    parser.add_argument("--rate", type=float, default=None, help="tx/s (default: as fast as accepted)")
    parser.add_argument("--py-spy", default=str(Path(sys.executable).parent / "py-spy"))
    parser.add_argument("--write", action="store_true", help="write the tables into BENCHMARKS.md")
    args = parser.parse_args(argv)
    if not Path(args.py_spy).exists():
        print(f"bench.profile: {args.py_spy} not found: run `make bench-profile`", file=sys.stderr)
        return 1
    report, load = run(args)
    text = section(report, " ".join(["python -m bench.profile", *(argv if argv is not None else sys.argv[1:])]), load)
    print(text)
    if args.write:
        from bench.e2e_report import write_section
        write_section(text, SECTION_START, SECTION_END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
