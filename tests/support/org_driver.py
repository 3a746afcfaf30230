"""Run the seeded organizations simulation and print one JSON line per block (height, app hash, codes).

    python -m tests.support.org_driver --store DIR --blocks 30 --seed 5

Used by the cross-process determinism test; the output depends only on the seed.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from tests.support.org_sim import STEPS, OrgSim, RandomPicker


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--blocks", type=int, default=30)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    sim = OrgSim(args.store, n_accounts=20)
    pick = RandomPicker(args.seed)
    try:
        for _ in range(args.blocks):
            result = sim.step(pick, 20, pick.choice(STEPS))
            print(json.dumps({"height": sim.chain.height, "app_hash": result.app_hash.hex(),
                              "codes": [[t.codespace, t.code] for t in result.txs],
                              "events": [e.TYPE for e in result.events]}), flush=True)
    finally:
        sim.close()


if __name__ == "__main__":
    main()
