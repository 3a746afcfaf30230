"""In-process benchmark: CheckTx and FinalizeBlock+Commit throughput next to bare ed25519 verify.

    python -m bench.inprocess [--txs 2000] [--block 500] [--repeat 3] [--no-write]

All transactions (signed transfers, many signers) are signed before any timing. Each
figure is the median of ``--repeat`` rounds; a round measures every figure back to back
on fresh LMDB stores, and the floor is judged on the median of the rounds' paired
CheckTx/verify ratios, so a load change on the shared machine does not skew it.
FinalizeBlock+Commit is measured with the signature cache warm (the transactions went
through CheckTx first, as on a validator) and cold (cache cleared, every signature
verified in FinalizeBlock). The floor: CheckTx >= 0.5 x the bare verify rate.
The results go to the "In-process benchmark" section of BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from nacl.bindings import crypto_sign_open

from abci_app.chain import auth, txcodec
from abci_app.adapter.app import LedgerApp
from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.adapter.protos import COMETBFT_VERSION, abci
from abci_app.adapter.framing import frame, split_frames
from abci_app.adapter.storage.store import Store
from bench import mix

CHAIN_ID = "samen-bench"
FLOOR = 0.5
REPO = Path(__file__).resolve().parents[1]
SECTION_START, SECTION_END = "<!-- inprocess:start -->", "<!-- inprocess:end -->"
MIX_COHORTS = 100


def make_workload(n_txs: int, n_signers: int = 500) -> tuple[list[Signer], list[bytes]]:
    """Return funded signers and ``n_txs`` signed transfers, sequence-ordered per signer."""
    signers = [Signer(hashlib.sha256(b"bench-%d" % i).digest()) for i in range(n_signers)]
    txs = []
    for i in range(n_txs):
        sender, receiver = signers[i % n_signers], signers[(i * 7 + 1) % n_signers]
        txs.append(sender.sign_tx(CHAIN_ID, i // n_signers, Transfer(receiver.address, 1 + i % 100, "bench")))
    return signers, txs


def fresh_app(folder: Path, signers: list[Signer]) -> LedgerApp:
    """Return an app with genesis committed (one empty block), on its own LMDB store."""
    app = LedgerApp(Store(folder, map_size=4 << 30))
    doc = {"accounts": [{"address": s.address, "balance": 10**12} for s in signers]}
    app.init_chain(CHAIN_ID, json.dumps(doc).encode())
    app.finalize_block(1, 1_700_000_000, b"\x01" * 20, [])
    app.commit()
    return app


def close(app: LedgerApp) -> None:
    app.close()
    app.store.close()


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds > 0 else float("inf")


def bare_verify(txs: list[bytes], openssl: bool = False) -> float:
    """Verifications per second of the node's library (libsodium via PyNaCl), or of OpenSSL for comparison."""
    decoded = [txcodec.decode_tx(raw) for raw in txs]
    items = [(d.public_key, d.signature, txcodec.sign_bytes(d.body)) for d in decoded]
    start = time.perf_counter()
    if openssl:
        for public_key, signature, message in items:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    else:
        for public_key, signature, message in items:
            crypto_sign_open(signature + message, public_key)
    return rate(len(items), time.perf_counter() - start)


def forget_caches(app: LedgerApp | None = None) -> None:
    """Drop the signature-verification and decode memos, and ``app``'s passed-check memo, so nothing is measured
    warm by accident."""
    auth._verified.clear()
    if app is not None:
        app.passed.clear()
    txcodec.forget_decoded()


def check_tx_rate(folder: Path, signers: list[Signer], txs: list[bytes]) -> float:
    app = fresh_app(folder, signers)
    forget_caches(app)
    start = time.perf_counter()
    for raw in txs:
        outcome = app.check_tx(raw)
        assert outcome.ok, outcome.log
    elapsed = time.perf_counter() - start
    close(app)
    return rate(len(txs), elapsed)


def finalize_rate(folder: Path, signers: list[Signer], txs: list[bytes], block: int, warm: bool) -> float:
    """FinalizeBlock + Commit transactions per second, with the verify cache warm or cleared."""
    app = fresh_app(folder, signers)
    forget_caches(app)
    if warm:
        for raw in txs:  # the mempool path a validator ran before the block
            auth.verify_signature(txcodec.decode_tx(raw))
    start = time.perf_counter()
    for height, first in enumerate(range(0, len(txs), block), start=2):
        result = app.finalize_block(height, 1_700_000_000 + height, b"\x01" * 20, txs[first:first + block])
        assert all(t.ok for t in result.txs), [t.log for t in result.txs if not t.ok][:3]
        app.commit()
    elapsed = time.perf_counter() - start
    close(app)
    return rate(len(txs), elapsed)


def framing_cost(raw_tx: bytes, count: int = 20_000) -> tuple[float, float]:
    """Microseconds per CheckTx message for the server's framing, one per read and pipelined.

    Covers split_frames + Request decode + Response build + encode + frame, i.e. what
    ``AbciServer`` adds around the handler.
    """
    request = frame(abci.Request(check_tx=abci.RequestCheckTx(tx=raw_tx)))

    def one(buf: bytearray) -> list[bytes]:
        bodies, used = split_frames(buf)
        out = []
        for body in bodies:
            req = abci.Request()
            req.ParseFromString(body)
            out.append(frame(abci.Response(check_tx=abci.ResponseCheckTx(code=0, gas_wanted=1))))
        del buf[:used]
        return out

    start = time.perf_counter()
    for _ in range(count):
        one(bytearray(request))
    single = (time.perf_counter() - start) / count * 1e6
    batch = bytearray(request * 1000)
    start = time.perf_counter()
    for _ in range(count // 1000):
        one(bytearray(batch))
    pipelined = (time.perf_counter() - start) / count * 1e6
    return single, pipelined


def one_round(root: Path, signers: list[Signer], txs: list[bytes], block: int) -> dict:
    """Measure every rate once, back to back, so a round's ratios share the machine's load."""
    return {
        "verify": bare_verify(txs),
        "verify_openssl": bare_verify(txs, openssl=True),
        "check_tx": check_tx_rate(root / "check", signers, txs),
        "finalize_warm": finalize_rate(root / "warm", signers, txs, block, True),
        "finalize_cold": finalize_rate(root / "cold", signers, txs, block, False),
        "mix": mix_rate(root / "mix"),
    }


def mix_rate(folder: Path, cohorts: int = MIX_COHORTS) -> float:
    """FinalizeBlock+Commit transactions per second for the collaboration mix (``bench/mix.py``)."""
    forget_caches()  # the same workload every round: keep it undecoded and unverified (cold)
    count, seconds = mix.run(folder, cohorts)
    return rate(count, seconds)


def run(n_txs: int, block: int, repeat: int) -> dict:
    """Return the median of each rate over ``repeat`` rounds, and the median paired CheckTx/verify ratio."""
    signers, txs = make_workload(n_txs)
    rounds = []
    for i in range(repeat):
        with tempfile.TemporaryDirectory(prefix="samen-bench-") as tmp:
            rounds.append(one_round(Path(tmp), signers, txs, block))
    figures = {name: statistics.median(r[name] for r in rounds) for name in rounds[0]}
    figures["check_ratio"] = statistics.median(r["check_tx"] / r["verify"] for r in rounds)
    figures["check_ratios"] = [round(r["check_tx"] / r["verify"], 2) for r in rounds]
    figures["frame_single_us"], figures["frame_pipelined_us"] = framing_cost(txs[0])
    figures.update(n_txs=n_txs, block=block, repeat=repeat, tx_bytes=len(txs[0]))
    return figures


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=REPO, capture_output=True,
                            text=True).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(),
            "commit": commit, "cometbft": COMETBFT_VERSION}


def table(f: dict) -> str:
    handler_us = 1e6 / f["check_tx"]
    rows = [
        ("bare ed25519 verify, libsodium (the node's verifier)", f"{f['verify']:,.0f} /s", "1.00"),
        ("bare ed25519 verify, OpenSSL via cryptography (for comparison)", f"{f['verify_openssl']:,.0f} /s",
         f"{f['verify_openssl'] / f['verify']:.2f}"),
        ("CheckTx (signed transfer)", f"{f['check_tx']:,.0f} tx/s", f"{f['check_ratio']:.2f} (paired median)"),
        (f"FinalizeBlock+Commit, verify cache warm ({f['block']} tx/block)", f"{f['finalize_warm']:,.0f} tx/s",
         f"{f['finalize_warm'] / f['verify']:.2f}"),
        (f"FinalizeBlock+Commit, verify cache cold ({f['block']} tx/block)", f"{f['finalize_cold']:,.0f} tx/s",
         f"{f['finalize_cold'] / f['verify']:.2f}"),
        (f"FinalizeBlock+Commit, collaboration mix, cache cold ({MIX_COHORTS} cohorts, ~{MIX_COHORTS * 3} tx/block)",
         f"{f['mix']:,.0f} tx/s", f"{f['mix'] / f['verify']:.2f}"),
        ("server framing per CheckTx message, one per read", f"{f['frame_single_us']:.1f} µs",
         f"{f['frame_single_us'] / handler_us:.0%} of handler"),
        ("server framing per CheckTx message, 1000 pipelined", f"{f['frame_pipelined_us']:.1f} µs",
         f"{f['frame_pipelined_us'] / handler_us:.0%} of handler"),
    ]
    lines = ["| measurement | rate | ratio to bare verify |", "|---|---:|---:|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def section(f: dict, m: dict) -> str:
    verdict = "meets" if f["check_ratio"] >= FLOOR else "is BELOW"
    return "\n".join([
        SECTION_START,
        "## In-process benchmark",
        "",
        "Command: `make bench` (`python -m bench.inprocess`). "
        f"{f['n_txs']} signed transfers ({f['tx_bytes']} bytes each, 500 signers), signed before timing; "
        f"median of {f['repeat']} rounds; each round measures every row back to back on fresh LMDB stores, "
        "so its ratios share one machine load (the machine is shared). Ratios are against the bare verify "
        "rate of the library the node verifies with (libsodium through PyNaCl), in the same run.",
        "",
        f"Machine: {m['nproc']} CPUs, {m['cpu']}; Python {m['python']}; commit `{m['commit']}`; "
        f"CometBFT {m['cometbft']} (not involved in-process).",
        "",
        table(f),
        "",
        f"CheckTx / bare verify = **{f['check_ratio']:.2f}** (per round: {f['check_ratios']}): "
        f"{verdict} the floor of {FLOOR}.",
        "The collaboration mix (`bench/mix.py`) runs the whole loop per cohort over six blocks: 7 transfers, "
        "1 proposal, 2 votes, 1 request, 2 offers and 5 agreement steps (acceptance into escrow, delivery, "
        "payout, two ratings), every one of which must succeed; compare it with the cold transfer row.",
        "The handler time is the CheckTx time per transaction; framing is `split_frames` + Request decode + "
        "Response encode + length prefix, measured separately.",
        SECTION_END,
    ])


def write_section(text: str) -> None:
    from bench.e2e_report import write_section as replace_section

    replace_section(text, SECTION_START, SECTION_END)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--txs", type=int, default=2000)
    parser.add_argument("--block", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    figures, info = run(args.txs, args.block, args.repeat), machine()
    text = section(figures, info)
    print(text)
    if not args.no_write:
        write_section(text)
    return 0 if figures["check_ratio"] >= FLOOR else 1


if __name__ == "__main__":
    raise SystemExit(main())
