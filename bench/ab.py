"""A/B of two source trees in ONE process: CPU time per transfer of CheckTx and of FinalizeBlock+Commit.

    git archive <old-commit> abci_app bench | tar -x -C /tmp/old && cp -r abci_app/_generated /tmp/old/abci_app/
    python -m bench.ab /tmp/old . [--txs 6000] [--block 250] [--rounds 5] [--mempool 0]

Each tree's ``abci_app`` and ``bench`` packages are imported side by side (``sys.modules`` is swapped
between them; a module keeps the modules it imported, so each app runs its own tree's code).  Both
apps get the same signed transfers (signatures verified beforehand: the signature worker's share is
not measured) and run the same blocks, alternating block by block: CheckTx of the block's
transactions, then FinalizeBlock and Commit; with ``--mempool M``, M transactions wait in a mempool and
the ones a block leaves are RECHECKed after its Commit (CometBFT's saturation pattern).  Alternating at that grain puts a shared machine's load
changes on both sides alike.  CPU time is ``time.process_time`` (user + system, this process); each
figure is the median over the rounds, and the ratio the median of the rounds' paired ratios.  The
two apps' last app hashes must be equal.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

_PACKAGES = ("abci_app", "bench")


def load(root: str) -> tuple[object, dict]:
    """Import ``bench.inprocess`` (and with it the app) from the tree at ``root``; return it and its modules."""
    for name in [m for m in sys.modules if m.split(".")[0] in _PACKAGES]:
        del sys.modules[name]
    sys.path.insert(0, root)
    try:
        inprocess = importlib.import_module("bench.inprocess")
    finally:
        sys.path.remove(root)
    modules = {name: m for name, m in sys.modules.items() if name.split(".")[0] in _PACKAGES}
    strays = [m.__file__ for m in modules.values() if not str(getattr(m, "__file__", root)).startswith(root)]
    assert not strays, f"modules imported from outside {root}: {strays[:3]}"
    return inprocess, modules


def one_round(sides: dict, n_txs: int, block: int, mempool: int) -> dict[str, tuple[float, float]]:
    """Run both apps over the same blocks, alternating; return microseconds of CPU per transfer per side."""
    apps, txs, folders = {}, {}, []
    for side, (inprocess, modules) in sides.items():
        sys.modules.update(modules)
        auth, txcodec = modules["abci_app.chain.auth"], modules["abci_app.chain.txcodec"]
        signers, txs[side] = inprocess.make_workload(n_txs)
        legacy = getattr(modules["abci_app.chain.block"], "_PASSED", None)   # a tree older than ``PassedChecks``
        if legacy is not None:   # kept its memo in a module global, warm from the last round: start both sides alike
            legacy.passed.clear()
        for raw in txs[side]:
            auth.verify_signature(txcodec.decode_tx(raw))
        folders.append(tempfile.TemporaryDirectory(prefix="samen-ab-"))
        apps[side] = inprocess.fresh_app(Path(folders[-1].name), signers)
    cpu = {side: [0.0, 0.0] for side in sides}
    pools = {side: _Pool(apps[side], txs[side], mempool, cpu[side]) for side in sides}
    hashes = {}
    for i in range(-(-n_txs // block)):
        for side in sorted(sides, reverse=i % 2 == 1):
            sys.modules.update(sides[side][1])
            hashes[side] = pools[side].block(i + 2, block)
    assert len(set(hashes.values())) == 1, "the two trees' app hashes differ"
    for side, (inprocess, modules) in sides.items():
        sys.modules.update(modules)
        inprocess.close(apps[side])
    for folder in folders:
        folder.cleanup()
    return {side: (check / n_txs * 1e6, final / n_txs * 1e6) for side, (check, final) in cpu.items()}


class _Pool:
    """One app and its mempool: ``block`` admits transactions by CheckTx (up to ``size`` pending; 0: just the
    block's), runs FinalizeBlock and Commit on the first ``count`` pending, then RECHECKs the rest, as
    CometBFT does after every block; CPU times go to ``cpu`` (CheckTx and RECHECK, FinalizeBlock+Commit)."""

    def __init__(self, app, txs: list[bytes], size: int, cpu: list[float]) -> None:
        self.app, self.txs, self.size, self.cpu = app, txs, size, cpu
        self.pending: list[bytes] = []
        self.next = 0

    def block(self, height: int, count: int) -> bytes:
        began = time.process_time()
        want = max(self.size, count) - len(self.pending)
        for raw in self.txs[self.next:self.next + want]:
            assert self.app.check_tx(raw).ok
        self.pending += self.txs[self.next:self.next + want]
        self.next += want
        checked = time.process_time()
        chunk, self.pending = self.pending[:count], self.pending[count:]
        result = self.app.finalize_block(height, 1_700_000_000 + height, b"\x01" * 20, chunk)
        self.app.commit()
        committed = time.process_time()
        for raw in self.pending:
            assert self.app.check_tx(raw, recheck=True).ok
        self.cpu[0] += checked - began + time.process_time() - committed
        self.cpu[1] += committed - checked
        assert all(t.ok for t in result.txs)
        return result.app_hash


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--txs", type=int, default=6000)
    parser.add_argument("--block", type=int, default=250)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--mempool", type=int, default=0, help="transactions kept pending and RECHECKed after "
                        "every block (0: each block's transactions are checked just before it)")
    args = parser.parse_args(argv)
    sides = {"A": load(os.path.abspath(args.a)), "B": load(os.path.abspath(args.b))}
    rounds = [one_round(sides, args.txs, args.block, args.mempool) for _ in range(args.rounds)]
    print(f"load average {os.getloadavg()}, {args.txs} transfers, blocks of {args.block}, mempool {args.mempool}, "
          f"{args.rounds} rounds")
    for side, root in (("A", args.a), ("B", args.b)):
        check = statistics.median(r[side][0] for r in rounds)
        final = statistics.median(r[side][1] for r in rounds)
        print(f"{side} ({root}): CheckTx {check:.1f} us, FinalizeBlock+Commit {final:.1f} us, "
              f"total {check + final:.1f} us CPU per transfer")
    for phase, pick in (("CheckTx", 0), ("FinalizeBlock+Commit", 1)):
        print(f"B/A {phase}: {statistics.median(r['B'][pick] / r['A'][pick] for r in rounds):.3f}")
    print(f"B/A total: {statistics.median(sum(r['B']) / sum(r['A']) for r in rounds):.3f} (median of paired rounds)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
