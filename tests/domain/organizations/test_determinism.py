"""Organizations are deterministic: the seeded simulation in two processes with different hash
seeds and time zones gives the same app hash, result codes and block events at every height."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
BLOCKS = 30


def run(store: Path, env: dict[str, str]) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "tests.support.org_driver", "--store", str(store),
                           "--blocks", str(BLOCKS)], cwd=REPO, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_two_processes_with_different_hash_seeds_agree_on_every_height(tmp_path):
    first = run(tmp_path / "a", {"PYTHONHASHSEED": "0", "TZ": "UTC"})
    second = run(tmp_path / "b", {"PYTHONHASHSEED": "4242", "TZ": "Asia/Kathmandu"})
    assert [r["height"] for r in first] == list(range(1, BLOCKS + 1))
    assert first == second
    events = {e for r in first for e in r["events"]}
    assert {"proposal_decided", "proposal_executed"} <= events      # the run reaches decisions and execution
