"""Replay recorded simulation blocks in a fresh process and print each block's app hash.

    python -m tests.property.market_replay BLOCKS.json STORE_DIR

``BLOCKS.json`` is a list of ``{"time": t, "txs": [hex, ...]}``; the genesis is
the market simulation's (``tests.property.test_market_machine.new_chain``).
Prints one JSON list of app hashes (hex), in height order.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.property.test_market_machine import new_chain


def main(blocks_file: str, store: str) -> None:
    blocks = json.loads(Path(blocks_file).read_text())
    chain = new_chain(Path(store))
    hashes = [chain.block(*(bytes.fromhex(t) for t in b["txs"]), time=b["time"]).app_hash.hex() for b in blocks]
    chain.close()
    print(json.dumps(hashes))


if __name__ == "__main__":
    main(*sys.argv[1:3])
