"""Run a fixed, seeded workload of blocks against a LedgerApp over LMDB, in its own process.

    python -m tests.abci.chain_driver --store DIR [--blocks 50] [--seed 7] [--fail-point finalize_block@12]

It plays CometBFT's part in the handshake: Info, then InitChain when the store is at
height 0, then FinalizeBlock + Commit for every height above the committed one
(after a crash that is exactly CometBFT's replay).  It prints JSON lines:

    {"resumed": <committed height>, "app_hash": <hex>}                  once, after Info
    {"height": h, "app_hash": <hex>, "codes": [[codespace, code], ...]}  after each Commit

With ``--fail-point`` the real ``abci_app.adapter.faults.FailPoint`` ends the process with
``os._exit`` at that point, as ``SAMEN_FAIL_POINT`` does in a node.  Used by the
crash-recovery tests; the workload depends only on the seed.  The determinism test replays
the same workload on ``new_chain`` (the same genesis, as a ``TestChain``) through
``tests.support.determinism``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

from abci_app.chain import addresses
from abci_app.adapter.app import LedgerApp
from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.adapter.faults import FailPoint
from abci_app.adapter.storage.store import Store
from tests.support.chain import TestChain

CHAIN_ID = "samen-driver"
GENESIS_TIME = 1_700_000_000
BLOCK_SECONDS = 5
PROPOSER = b"\x01" * 20
SIGNERS = [Signer(hashlib.sha256(b"driver-key-%d" % n).digest()) for n in range(12)]
MEMOS = ["", "rent", "thanks ☺", "zaterdag: €12", "x" * 40]


def genesis() -> bytes:
    accounts = [{"address": s.address, "balance": 1_000_000} for s in SIGNERS]
    return json.dumps({"accounts": accounts, "params": {"min_fee": 1}}).encode()


def new_chain(path: Path) -> TestChain:
    """The driver's genesis as a ``TestChain`` (for ``tests.support.determinism``)."""
    return TestChain(path, balances={s.address: 1_000_000 for s in SIGNERS}, params={"min_fee": 1},
                     chain_id=CHAIN_ID)


def workload(seed: int, blocks: int) -> list[list[bytes]]:
    """Return ``blocks`` lists of txs: mostly valid transfers, plus every common kind of invalid one."""
    rng = random.Random(seed)  # the test driver may use randomness; the state machine may not
    sequences = [0] * len(SIGNERS)
    out = []
    for _ in range(blocks):
        txs = []
        for _ in range(rng.randint(0, 12)):
            txs.append(_one_tx(rng, sequences))
        out.append(txs)
    return out


def _one_tx(rng: random.Random, sequences: list[int]) -> bytes:
    i = rng.randrange(len(SIGNERS))
    signer, seq = SIGNERS[i], sequences[i]
    if rng.random() < 0.3:
        to = addresses.encode(rng.randbytes(20))  # a brand-new account
    else:
        to = SIGNERS[rng.randrange(len(SIGNERS))].address
    kind = rng.choice(["valid"] * 7 + ["garbage", "old", "skip", "zero", "broke", "chain", "fee"])
    if kind == "garbage":
        return rng.randbytes(rng.randint(0, 120))
    amount = {"zero": 0, "broke": 10**12}.get(kind, rng.randint(1, 1000))
    seq = {"old": seq - 1, "skip": seq + 2}.get(kind, seq)
    chain_id = "other-chain" if kind == "chain" else CHAIN_ID
    fee = 0 if kind == "fee" else rng.randint(1, 3)
    if kind == "valid":
        sequences[i] += 1
    return signer.sign_tx(chain_id, max(seq, 0), Transfer(to, amount, rng.choice(MEMOS)), fee=fee)


def run(store_path: Path, blocks: int, seed: int, fail_point: FailPoint = FailPoint(), out=sys.stdout) -> None:
    """Bring the app at ``store_path`` up to height ``blocks``, printing one JSON line per step."""
    plan = workload(seed, blocks)
    store = Store(store_path, map_size=1 << 30)
    app = LedgerApp(store, fail_point)
    height, app_hash = app.info()
    _emit(out, {"resumed": height, "app_hash": app_hash.hex()})
    if height == 0:
        app.init_chain(CHAIN_ID, genesis())
    for h in range(height + 1, blocks + 1):
        result = app.finalize_block(h, GENESIS_TIME + BLOCK_SECONDS * h, PROPOSER, plan[h - 1])
        app.commit()
        codes = [[t.codespace, t.code] for t in result.txs]
        _emit(out, {"height": h, "app_hash": result.app_hash.hex(), "codes": codes})
    app.close()
    store.close()


def _emit(out, record: dict) -> None:
    out.write(json.dumps(record) + "\n")
    out.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--blocks", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--fail-point", default="")
    args = parser.parse_args(argv)
    run(args.store, args.blocks, args.seed, FailPoint.parse(args.fail_point))
    return 0


if __name__ == "__main__":
    sys.exit(main())
