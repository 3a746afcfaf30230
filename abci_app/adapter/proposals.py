"""Which transactions a proposed block may carry: PrepareProposal's selection and ProcessProposal's verdict.

Both apply only the stateless checks (``abci_app.chain.block.check_stateless``: size, decode,
canonical form, version, chain id, signature, the action's own stateless checks), which read
only the bytes and the committed parameters in ``info``, so every validator decides alike.
"""

from __future__ import annotations

from abci_app.chain import block
from abci_app.chain.context import BlockInfo
from abci_app.chain.errors import LedgerError


def prepare(txs: list[bytes], max_tx_bytes: int, info: BlockInfo, passed: block.PassedChecks | None = None) -> list[bytes]:
    """Keep, in order, the transactions that pass stateless checks, are not repeats and fit in ``max_tx_bytes``
    (``passed``: the app's memo of passed checks)."""
    kept: list[bytes] = []
    seen: set[bytes] = set()
    total = 0
    for raw in txs:
        if total + len(raw) > max_tx_bytes or raw in seen:
            continue
        try:
            block.check_stateless(raw, info, passed)
        except LedgerError:
            continue
        kept.append(raw)
        seen.add(raw)
        total += len(raw)
    return kept


def acceptable(txs: list[bytes], info: BlockInfo, passed: block.PassedChecks | None = None) -> bool:
    """True only if every transaction passes the stateless checks and none repeats (``passed``: the app's memo).

    A proposer therefore cannot fill a block with junk that pays nothing; a transaction that is
    well formed but fails against state (wrong sequence, unknown sender, a failing action) is
    still accepted, and FinalizeBlock answers it with its code (charging the fee of an
    authenticated one).  Each transaction's size is bounded by the chain's ``max_tx_bytes``
    parameter (part of the stateless checks); the block's total is CometBFT's to bound
    (``block.max_bytes``, checked before ProcessProposal, which carries no size limit in ABCI 2.0).
    """
    if len(set(txs)) != len(txs):
        return False
    try:
        for raw in txs:
            block.check_stateless(raw, info, passed)
    except LedgerError:
        return False
    return True
