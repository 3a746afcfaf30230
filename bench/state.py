"""State benchmark (``make bench-state``): app-hash cost, block cost, proofs, at several state sizes.

    python -m bench.state [--sizes 10000,100000,1000000] [--blocks 3] [--txs 1000]

For each size N: a real LMDB store gets 2,000 funded accounts at genesis plus
filler keys up to N keys in total, committed through the same tree update the
app uses.  Then, for ``--blocks`` blocks of ``--txs`` signed transfers each
(each transfer writes ~3 keys), it reports:

* the app-hash (tree) update time per block and per write, on the block's real write set;
* the whole block time (FinalizeBlock + Commit, signatures included);
* the size of inclusion proofs and the time to verify one.

Figures are medians.  Wall-clock timing lives here, never in tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

from abci_app import apphash
from abci_app.app import LedgerApp
from abci_app.client.signer import Signer
from abci_app.domain.accounts.messages import Transfer
from abci_app.state import proofs, smt
from abci_app.state.store import Store

ACCOUNTS = 2000
FILL_BATCH = 50_000


def fill(store: Store, total: int) -> None:
    """Commit filler keys until the state holds about ``total`` keys."""
    committed = store.committed()
    height, root, have = committed.height, committed.root, ACCOUNTS + 2
    while have < total:
        count = min(FILL_BATCH, total - have)
        writes = [(b"fill/%08d" % (have + i), b"v" * 40) for i in range(count)]
        txn = store.read_txn()
        tree = apphash.next_tree(store.nodes(txn), root, writes, height + 1)
        txn.abort()
        height, root, have = height + 1, tree.root, have + count
        store.commit(writes, height, tree.root_hash, committed.chain_id, committed.time, tree=tree)


def signed_blocks(signers: list[Signer], blocks: int, txs: int, chain_id: str) -> list[list[bytes]]:
    out, seq = [], {}
    for b in range(blocks):
        block = []
        for i in range(txs):
            sender = signers[(b * txs + i) % len(signers)]
            to = signers[(b * txs + i * 7 + 1) % len(signers)]
            n = seq.get(sender.address, 0)
            seq[sender.address] = n + 1
            block.append(sender.sign_tx(chain_id, n, Transfer(to.address, 1)))
        out.append(block)
    return out


def run_size(size: int, blocks: int, txs: int, workdir: Path) -> dict:
    signers = [Signer(i.to_bytes(4, "big") * 8) for i in range(ACCOUNTS)]
    store = Store(workdir / f"n{size}", map_size=64 << 30)
    app = LedgerApp(store)
    doc = {"accounts": [{"address": s.address, "balance": 10**9} for s in signers]}
    app.init_chain("bench", json.dumps(doc).encode())
    app.finalize_block(1, 1_700_000_000, b"\x01" * 20, [])
    app.commit()
    app._close_snapshot()
    fill(store, size)
    app = LedgerApp(store)
    tree_times, block_times, writes_per_block = [], [], []
    height, clock = app.committed.height, app.committed.time
    for block in signed_blocks(signers, blocks, txs, "bench"):
        height, clock = height + 1, clock + 5
        start = time.perf_counter()
        app.finalize_block(height, clock, b"\x01" * 20, block)
        app.commit()
        block_times.append(time.perf_counter() - start)
        # re-time the tree update alone on this block's write set, against the previous root
        writes = sorted(app.pending.state.writes.items()) if app.pending else _last_writes(store, height)
        txn = store.read_txn()
        previous = store.root_at(txn, height - 1)
        start = time.perf_counter()
        apphash.next_tree(store.nodes(txn), previous, writes, height)
        tree_times.append(time.perf_counter() - start)
        txn.abort()
        writes_per_block.append(len(writes))
    proof_sizes, verify_times = proof_figures(store, signers, height)
    app._close_snapshot()
    store.close()
    tree = statistics.median(tree_times)
    return {"keys": size, "writes_per_block": statistics.median(writes_per_block),
            "tree_ms_per_block": round(tree * 1000, 1),
            "tree_us_per_write": round(tree * 1e6 / statistics.median(writes_per_block), 1),
            "block_ms": round(statistics.median(block_times) * 1000, 1),
            "proof_bytes": statistics.median(proof_sizes),
            "verify_us": round(statistics.median(verify_times) * 1e6, 1)}


def _last_writes(store: Store, height: int) -> list[tuple[bytes, bytes | None]]:
    """The write set of ``height``, read back from the ``changes`` and ``history`` databases."""
    txn = store.read_txn()
    try:
        prefix = height.to_bytes(8, "big")
        keys = [bytes(k[8:]) for k, _ in txn.cursor(db=store.db(b"changes")) if k.startswith(prefix)]
        state = store.state_at(txn, height)
        return sorted((k, state.get(k)) for k in keys)
    finally:
        txn.abort()


def proof_figures(store: Store, signers: list[Signer], height: int) -> tuple[list[int], list[float]]:
    from abci_app.domain.accounts import keys as account_keys
    sizes, times = [], []
    txn = store.read_txn()
    root = store.root_at(txn, height)
    state = store.state_at(txn, height)
    for signer in signers[:200]:
        key = account_keys.account(signer.address)
        proof = proofs.prove(store.nodes(txn), root, key).encode()
        value = state.get(key)
        start = time.perf_counter()
        proofs.verify(root.hash, key, value, proof)
        times.append(time.perf_counter() - start)
        sizes.append(len(proof))
    txn.abort()
    return sizes, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--txs", type=int, default=1000)
    args = parser.parse_args()
    print(f"# nproc={os.cpu_count()} cpu={_cpu_model()}")
    with tempfile.TemporaryDirectory(prefix="samen-bench-state-") as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            print(json.dumps(run_size(size, args.blocks, args.txs, Path(tmp))), flush=True)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


if __name__ == "__main__":
    main()
