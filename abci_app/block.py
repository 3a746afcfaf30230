"""The pure, synchronous core: ``run_block(state, block, txs) -> BlockOutcome``.

Every transaction gets exactly one ``TxOutcome``, in order.  Each runs in its own
fork of the block overlay: on success the fork is applied, on a ``LedgerError`` it
is dropped, so a rejected transaction changes nothing.  Any other exception is a
bug and propagates (the node halts rather than diverge).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from abci_app import auth, codec, components
from abci_app.domain.params import Params
from abci_app.errors import LedgerError
from abci_app.state.delta import Delta


@dataclass(frozen=True, slots=True)
class BlockInfo:
    height: int
    time: int          # block time, whole seconds since the Unix epoch
    chain_id: str
    proposer: bytes
    params: Params


@dataclass(frozen=True, slots=True)
class TxOutcome:
    code: int
    codespace: str
    log: str
    events: tuple = ()
    hash: bytes = b""
    signer: str = ""
    action: str = ""

    @property
    def ok(self) -> bool:
        return self.code == 0


@dataclass(frozen=True, slots=True)
class BlockOutcome:
    txs: list[TxOutcome]
    events: list = field(default_factory=list)


def rejected(error: LedgerError, tx_hash: bytes = b"", signer: str = "", action: str = "") -> TxOutcome:
    return TxOutcome(error.code, error.codespace, error.message, (), tx_hash, signer, action)


def check_stateless(raw: bytes, block: BlockInfo):
    """Decode, authenticate statelessly and run the action's stateless check."""
    tx, ctx = auth.check_stateless(raw, block.chain_id, block.params)
    stateless, _ = components.HANDLERS[type(tx.action)]
    stateless(tx.action, ctx)
    return tx, ctx


def execute_tx(state: Delta, block: BlockInfo, raw: bytes) -> TxOutcome:
    """Run one transaction atomically on ``state``."""
    fork = state.fork()
    outcome = execute_on(fork, block, raw)
    if outcome.ok:
        fork.apply()
    return outcome


def execute_on(fork: Delta, block: BlockInfo, raw: bytes) -> TxOutcome:
    """Run one transaction on ``fork``, a fresh overlay the caller applies only if the outcome is ok."""
    tx_hash, signer, action = b"", "", ""
    try:
        tx, ctx = check_stateless(raw, block)
        tx_hash, signer, action = tx.hash, ctx.signer, type(tx.action).__name__
        auth.authenticate(fork, ctx, components.FEE_PAYER, block)
        _, execute = components.HANDLERS[type(tx.action)]
        events = execute(fork, block, ctx, tx.action)
    except LedgerError as error:
        return rejected(error, tx_hash or codec.tx_hash(raw), signer, action)
    return TxOutcome(0, "", "", tuple(events), tx_hash, signer, action)


def run_block(state: Delta, block: BlockInfo, txs: list[bytes]) -> BlockOutcome:
    events: list = []
    for hook in components.BEGIN_BLOCK:
        events.extend(hook(state, block))
    outcomes = [execute_tx(state, block, raw) for raw in txs]
    for hook in components.END_BLOCK:
        events.extend(hook(state, block))
    return BlockOutcome(outcomes, events)
