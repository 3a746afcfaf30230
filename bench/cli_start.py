"""How long ``samen`` takes to start and answer: ``samen --help`` and ``samen query account``.

Usage: ``python bench/cli_start.py [--node URL] [--runs N] [--module M]`` (``make bench-cli``).  Each command runs N
times as a fresh process (the way a person or a script meets it); the median and
the fastest wall time are printed.  ``query account`` needs a node at ``--node``
(for example ``make run``); without one only ``--help`` is measured.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time

ADDRESS = "samen1l3f0p8d5v3um5rfrq3p2f55cnxacmuqtwtu9el"   # any well-formed address (unknown: balance 0)


def run_times(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Return the wall and CPU (user + system) times of ``runs`` fresh runs of ``argv``.

    The exit code is not checked: an older ``samen`` answers an unknown account with exit 1.
    CPU time is the steadier figure on a shared machine.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--node", default="", help="RPC address of a running node (for query account)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--module", default="abci_app.tools.cli",
                        help="the CLI module (abci_app.cli before the Layout move, for a before/after figure)")
    args = parser.parse_args()
    samen = [sys.executable, "-m", args.module]
    commands = {"samen --help": samen + ["--help"]}
    if args.node:
        commands["samen query account"] = samen + ["query", "account", ADDRESS, "--node", args.node]
    for name, argv in commands.items():
        walls, cpus = run_times(argv, args.runs)
        print(f"{name:22s} wall median {statistics.median(walls):.3f} s, fastest {min(walls):.3f} s; "
              f"CPU median {statistics.median(cpus):.3f} s ({args.runs} runs)")


if __name__ == "__main__":
    main()
