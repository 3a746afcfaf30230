"""Replay recorded simulation blocks in a fresh process and print each block's app hash.

    python -m tests.property.market_replay BLOCKS.json STORE_DIR [MODULE:FACTORY]

``BLOCKS.json`` is a list of ``{"time": t, "txs": [hex, ...]}``; the genesis is
made by ``FACTORY(path)`` of ``MODULE`` (default: the market simulation's,
``tests.property.test_market_machine:new_chain``; the adversarial economy's is
``tests.support.econ_sim:new_chain``).  Prints one JSON list of app hashes (hex),
in height order.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

DEFAULT_FACTORY = "tests.property.test_market_machine:new_chain"


def main(blocks_file: str, store: str, factory: str = DEFAULT_FACTORY) -> None:
    module, name = factory.split(":")
    new_chain = getattr(importlib.import_module(module), name)
    blocks = json.loads(Path(blocks_file).read_text())
    chain = new_chain(Path(store))
    hashes = [chain.block(*(bytes.fromhex(t) for t in b["txs"]), time=b["time"]).app_hash.hex() for b in blocks]
    chain.close()
    print(json.dumps(hashes))


if __name__ == "__main__":
    main(*sys.argv[1:4])
