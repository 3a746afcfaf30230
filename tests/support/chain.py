"""TestChain: drive the real LedgerApp in-process over a real LMDB store, without CometBFT.

    chain = TestChain(tmp_path, balances={alice: 1000})
    outcome = chain.block(alice.transfer_tx(...), time=...)   # FinalizeBlock + Commit
    chain.check(tx)                                            # CheckTx against check state

Each ``block`` call runs FinalizeBlock and Commit exactly as the ABCI server would,
with a block time that advances by ``block_seconds`` unless given.  ``signer``
helpers keep per-key sequences so tests can write ``chain.tx(alice, Transfer(...))``.
"""

from __future__ import annotations

import json
from pathlib import Path

from abci_app.adapter.app import FinalizeResult, LedgerApp
from abci_app.chain.context import TxOutcome
from abci_app.tools.client.signer import Signer
from abci_app.adapter.storage.store import Store

CHAIN_ID = "samen-test"
GENESIS_TIME = 1_700_000_000


def key(n: int) -> Signer:
    """Return a deterministic test key (seed = n repeated)."""
    return Signer(bytes([n % 256]) * 32)


class TestChain:
    __test__ = False  # not a pytest test class

    def __init__(self, path: Path, balances: dict | None = None, params: dict | None = None,
                 extra_genesis: dict | None = None, block_seconds: int = 5, chain_id: str = CHAIN_ID) -> None:
        self.path = path
        self.chain_id = chain_id
        self.block_seconds = block_seconds
        self.time = GENESIS_TIME
        self.sequences: dict[str, int] = {}
        doc = {"accounts": [{"address": _addr(k), "balance": v} for k, v in (balances or {}).items()]}
        if params:
            doc["params"] = params
        doc.update(extra_genesis or {})
        self.genesis_doc = doc
        self.store = Store(path)
        self.app = LedgerApp(self.store)
        self.genesis_hash = self.app.init_chain(chain_id, json.dumps(doc).encode())
        self.results: list[FinalizeResult] = []
        self.blocks: list[tuple[int, list[bytes]]] = []   # (time, txs) of every block run (determinism replays)

    @property
    def height(self) -> int:
        return self.app.committed.height

    @property
    def state(self):
        """The committed state (a StateRead)."""
        return self.app.base

    def tx(self, signer: Signer, action, fee: int = 0, sequence: int | None = None, fee_payer: str = "") -> bytes:
        """Sign ``action`` with the signer's next expected sequence (tracked locally)."""
        seq = self.sequences.get(signer.address, 0) if sequence is None else sequence
        self.sequences[signer.address] = seq + 1
        return signer.sign_tx(self.chain_id, seq, action, fee=fee, fee_payer=fee_payer)

    def finalize(self, *txs: bytes, time: int | None = None) -> FinalizeResult:
        self.time = self.time + self.block_seconds if time is None else time
        return self.app.finalize_block(self.height + 1, self.time, b"\x01" * 20, list(txs))

    def block(self, *txs: bytes, time: int | None = None) -> FinalizeResult:
        """Run FinalizeBlock and Commit; return the block's result."""
        result = self.finalize(*txs, time=time)
        self.app.commit()
        self.results.append(result)
        self.blocks.append((self.time, list(txs)))
        return result

    def check(self, raw: bytes) -> TxOutcome:
        return self.app.check_tx(raw)

    def reopen(self) -> None:
        """Simulate a process restart: drop the app (and anything uncommitted) and reopen the store."""
        self.app.close()
        self.store.close()
        self.store = Store(self.path)
        self.app = LedgerApp(self.store)

    def close(self) -> None:
        self.app.close()
        self.store.close()


def _addr(k) -> str:
    return k.address if isinstance(k, Signer) else k


def ok(result: FinalizeResult) -> FinalizeResult:
    """Assert every transaction of a block succeeded; return the result."""
    bad = [(t.codespace, t.code, t.log) for t in result.txs if t.code != 0]
    assert not bad, f"rejected transactions: {bad}"
    return result
