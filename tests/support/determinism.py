"""The one determinism driver: blocks recorded in this process, replayed in fresh processes under
other hash seeds, time zones and locales, must give the same outcome at every height.

    chain = new_chain(path)                  # any TestChain factory "module:function"
    ... run blocks on it (a workload, a simulation) ...
    replay_elsewhere(tmp_path, recorded(chain), "module:function", expected=outcomes(chain))

* ``ENVIRONMENTS``: the two process environments every determinism test replays under
  (this test process is a third: pytest runs with a random hash seed);
* ``Block(time, txs)``; ``recorded(chain)``: the blocks a ``TestChain`` ran, in order;
* ``outcome(result)``: one height's outcome: ``app_hash`` (hex), result ``codes``
  (``[codespace, code]`` per transaction) and block ``events`` (their types, in order);
  ``outcomes(chain)``: every height's, from the results the chain kept;
* ``replay_elsewhere(tmp_path, blocks, factory, expected)``: replays ``blocks`` on a fresh
  chain from ``factory`` in one child process per environment; every child must give the
  same outcomes as the others and, key by key, as ``expected`` (a list of dicts per height,
  e.g. only ``{"app_hash": ...}`` when that is all that was recorded); fails naming the
  first height that differs.  Returns the children's outcomes.

The child side is ``python -m tests.support.determinism BLOCKS.json STORE MODULE:FACTORY``: it
prints one JSON list of outcomes.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENVIRONMENTS = (
    {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C"},
    {"PYTHONHASHSEED": "3141592", "TZ": "Pacific/Chatham", "LC_ALL": "C.UTF-8"},
)


@dataclass(frozen=True)
class Block:
    time: int
    txs: tuple[bytes, ...]


def recorded(chain) -> list[Block]:
    """The blocks a ``TestChain`` ran (``block`` calls), in height order."""
    return [Block(time, tuple(txs)) for time, txs in chain.blocks]


def outcome(result) -> dict:
    """One height's outcome from a ``FinalizeResult``."""
    return {"app_hash": result.app_hash.hex(), "codes": [[t.codespace, t.code] for t in result.txs],
            "events": [e.TYPE for e in result.events]}


def outcomes(chain) -> list[dict]:
    return [outcome(r) for r in chain.results]


def replay_elsewhere(tmp_path: Path, blocks: list[Block], factory: str,
                     expected: list[dict] | None = None) -> list[dict]:
    """Replay ``blocks`` in one fresh process per environment; assert they agree (see the module docstring)."""
    blocks_file = tmp_path / "blocks.json"
    blocks_file.write_text(json.dumps([{"time": b.time, "txs": [tx.hex() for tx in b.txs]} for b in blocks]))
    runs = []
    for n, env in enumerate(ENVIRONMENTS):
        done = subprocess.run([sys.executable, "-m", "tests.support.determinism", str(blocks_file),
                               str(tmp_path / f"replay{n}"), factory], cwd=ROOT, env={**os.environ, **env},
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        runs.append(json.loads(done.stdout))
    for env, got in zip(ENVIRONMENTS, runs):
        assert len(got) == len(blocks), f"{len(got)} heights under {env}, {len(blocks)} blocks given"
        reference = runs[0] if expected is None else expected
        first = next((h for h, (a, b) in enumerate(zip(got, reference), 1) if {k: a[k] for k in b} != b), None)
        assert first is None, f"under {env} height {first} differs: {got[first - 1]} != {reference[first - 1]}"
    assert runs[0] == runs[1], "the two environments differ"
    return runs[0]


def _replay(blocks_file: str, store: str, factory: str) -> list[dict]:
    module, name = factory.split(":")
    chain = getattr(importlib.import_module(module), name)(Path(store))
    try:
        return [outcome(chain.block(*(bytes.fromhex(t) for t in b["txs"]), time=b["time"]))
                for b in json.loads(Path(blocks_file).read_text())]
    finally:
        chain.close()


if __name__ == "__main__":
    print(json.dumps(_replay(*sys.argv[1:4])))
