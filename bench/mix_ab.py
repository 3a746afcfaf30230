"""Interleaved same-process A/B of the settlement path: CPU time per transaction of each mix phase, base vs this tree.

    python -m bench.mix_ab [--base 3caf202] [--cohorts 500] [--rounds 9]

Runs the in-process collaboration mix (``bench/mix.py``) ``--rounds`` times with each of two
codes, alternating which goes first: this tree's, and the base commit's stored-value encoder
and decoder (``codec.encode_value``/``decode_value``), friction ``added`` and reputation
``_added``, loaded from ``git show BASE:<file>`` and swapped in.  Every round starts from a
fresh store with the codec's and the signature memos cleared.  Prints, per phase, the median
CPU milliseconds (``time.process_time``) per transaction of each side and the median of the
paired ratios; and checks that both sides reach the same app hash after every block.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

from abci_app.chain import codec
from abci_app.chain.domain.friction import state as friction
from abci_app.chain.domain.reputation import state as reputation
from bench import mix
from bench.inprocess import REPO, forget_caches

PHASES = {5: "payout (AcceptMilestone)", 6: "ratings (RateAgreement)", 1: "request, proposal, transfers",
          3: "acceptance into escrow, transfers", 0: "whole mix"}


def _load(base: str, path: str, name: str, folder: Path) -> ModuleType:
    source = subprocess.run(["git", "show", f"{base}:{path}"], cwd=REPO, check=True, capture_output=True).stdout
    file = folder / (name + ".py")
    file.write_bytes(source)
    spec = importlib.util.spec_from_file_location(name, file)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module   # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def sides(base: str, folder: Path) -> dict[str, tuple]:
    """The functions each side swaps in: (encode_value, decode_value, friction added, reputation _added)."""
    old_codec = _load(base, "abci_app/chain/codec.py", "base_codec", folder)
    old_friction = _load(base, "abci_app/chain/domain/friction/state.py", "base_friction", folder)
    old_reputation = _load(base, "abci_app/chain/domain/reputation/state.py", "base_reputation", folder)
    old_reputation.Counts = reputation.Counts   # build this tree's records, as the chain would
    return {"base": (old_codec.encode_value, old_codec.decode_value, old_friction.added, old_reputation._added,
                     old_codec._RECENT),
            "this": (codec.encode_value, codec.decode_value, friction.added, reputation._added, codec._RECENT)}


def one_run(side: tuple, cohorts: int) -> tuple[dict[int, float], list[bytes]]:
    """CPU ms per transaction of each phase (0: all six) and the app hash after each block, for one side."""
    codec.encode_value, codec.decode_value, friction.added, reputation._added, recent = side
    forget_caches()
    recent.clear()
    cpu, hashes, count = {}, [], 0
    with tempfile.TemporaryDirectory(prefix="samen-mix-ab-") as tmp:
        work = mix.Mix(cohorts)
        app = mix.setup(Path(tmp), work)
        try:
            for phase in range(1, mix.PHASES + 1):
                now = mix.START + 10 + 5 * phase
                txs = work.block(phase, now)
                start = time.process_time()
                result = app.finalize_block(2 + phase, now, b"\x01" * 20, txs)
                app.commit()
                cpu[phase] = time.process_time() - start
                count += len(txs)
                assert all(t.ok for t in result.txs), "mix transaction rejected"
                hashes.append(result.app_hash)
                cpu[phase] = cpu[phase] / len(txs) * 1e3
                cpu[0] = cpu.get(0, 0.0) + cpu[phase] * len(txs)
        finally:
            app.close()
            app.store.close()
    cpu[0] /= count
    return cpu, hashes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mix_ab", description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="3caf202")
    parser.add_argument("--cohorts", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict[int, float]]] = {"base": [], "this": []}
    reference: list[bytes] = []
    with tempfile.TemporaryDirectory() as folder:
        functions = sides(args.base, Path(folder))
        try:
            for i in range(args.rounds):
                for name in ("base", "this") if i % 2 == 0 else ("this", "base"):
                    cpu, hashes = one_run(functions[name], args.cohorts)
                    reference = reference or hashes
                    assert hashes == reference, f"the app hash differs ({name}, round {i})"
                    runs[name].append(cpu)
        finally:   # this tree's functions back in place
            codec.encode_value, codec.decode_value, friction.added, reputation._added = functions["this"][:4]
    print(f"{args.rounds} rounds of {args.cohorts} cohorts, base {args.base}; CPU ms per transaction, median")
    for phase, label in PHASES.items():
        base = statistics.median(r[phase] for r in runs["base"])
        this = statistics.median(r[phase] for r in runs["this"])
        paired = statistics.median(b[phase] / t[phase] for b, t in zip(runs["base"], runs["this"]))
        print(f"| {label} | {base:.3f} | {this:.3f} | {paired:.2f} |")
    print(f"app hash after each of the {mix.PHASES} blocks identical in all {2 * args.rounds} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
