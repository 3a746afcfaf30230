"""The pure, synchronous core: ``run_block(state, block, txs) -> BlockOutcome``.

Every transaction gets exactly one ``TxOutcome``, in order, and runs in two nested
overlays.  Authentication (decode, signature, sequence, fee) runs in a fork of the
block overlay; if it fails, that fork is dropped and the transaction changes nothing.
Once it is authenticated, the fee is charged and the sequence consumed in that fork,
and the action runs in a fork of it: on success the action's fork is applied; on a
``LedgerError`` it is dropped, but the authentication fork is still applied, so a
failed action still pays its fee and uses up its sequence (its signed bytes can never
run again) and its result carries a ``fee_charged`` event.  Any other exception is
a bug and propagates (the node halts rather than diverge).
"""

from __future__ import annotations

from abci_app.chain import auth, components, txcodec
from abci_app.chain.context import BlockInfo, BlockOutcome, TxContext, TxOutcome, ValidatorUpdates
from abci_app.chain.errors import LedgerError
from abci_app.chain.state.delta import Delta
from abci_app.chain.txcodec import SignedTx


def rejected(error: LedgerError, tx_hash: bytes = b"", signer: str = "", action: str = "") -> TxOutcome:
    return TxOutcome(error.code, error.codespace, error.message, (), tx_hash, signer, action)


class PassedChecks:
    """Transactions that passed ``check_stateless`` under one (chain id, parameters): bounded, oldest out first.

    One memo per block runner (``LedgerApp`` owns one and passes it in), never a module global,
    so two apps in one process (tests, benchmarks) never share answers.  The stateless checks are a pure function of the bytes, the chain id and the parameters
    (docs/transactions.md, "Why reusing a check is safe"), and their answers are immutable, so a
    transaction seen in CheckTx is not decoded and checked again by PrepareProposal,
    ProcessProposal, FinalizeBlock and RECHECK.  Failures are not kept (they raise every time),
    and a change of chain id or parameters empties the memo.  Bounded in count (``MAX``) and in the
    transactions' bytes (``MAX_BYTES``): a pass costs nothing (a well-signed transaction from an
    unknown sender passes the stateless checks and is then rejected for free), so a count alone
    would let a peer pin ``MAX`` full-size transactions in memory.
    """

    MAX = 1 << 16
    MAX_BYTES = 32 << 20   # the remembered transactions' own bytes, at most (a full-size one is ``max_tx_bytes``)

    def __init__(self) -> None:
        self.chain_id: str | None = None
        self.params: object = None
        self.passed: dict[bytes, tuple[SignedTx, TxContext]] = {}
        self.size = 0   # the remembered transactions' bytes

    def lookup(self, raw: bytes, block: BlockInfo) -> tuple[SignedTx, TxContext] | None:
        """Return the remembered answer for ``raw`` under ``block``'s chain id and parameters, else None."""
        if block.params is not self.params or block.chain_id != self.chain_id:
            if block.params != self.params or block.chain_id != self.chain_id:
                self.clear()
                self.chain_id = block.chain_id
            self.params = block.params
        return self.passed.get(raw)

    def keep(self, raw: bytes, answer: tuple[SignedTx, TxContext]) -> None:
        """Remember ``answer`` for ``raw``, dropping the oldest passes to stay within ``MAX`` and ``MAX_BYTES``."""
        passed = self.passed
        if raw in passed or len(raw) > self.MAX_BYTES:
            return
        while passed and (len(passed) >= self.MAX or self.size + len(raw) > self.MAX_BYTES):
            oldest = next(iter(passed))
            del passed[oldest]
            self.size -= len(oldest)
        passed[raw] = answer
        self.size += len(raw)

    def clear(self) -> None:
        """Forget every remembered pass (a benchmark measuring cold checks)."""
        self.passed.clear()
        self.size = 0


def check_stateless(raw: bytes, block: BlockInfo, passed: PassedChecks | None = None) -> tuple[SignedTx, TxContext]:
    """Decode, authenticate statelessly and run the action's stateless check; ``passed`` (if given) remembers a pass."""
    known = passed.lookup(raw, block) if passed is not None else None
    if known is not None:
        return known
    tx, ctx = auth.check_stateless(raw, block.chain_id, block.params)
    stateless, _ = components.ROUTER[type(tx.action)]
    stateless(tx.action, ctx)
    if passed is not None:
        passed.keep(raw, (tx, ctx))
    return tx, ctx


def execute_tx(state: Delta, block: BlockInfo, raw: bytes, passed: PassedChecks | None = None) -> TxOutcome:
    """Run one transaction on ``state``: its fee and sequence if authenticated, its action only if it succeeds."""
    fork = state.fork()
    outcome = execute_on(fork, block, raw, passed)
    if outcome.charged:
        fork.apply()
    return outcome


def execute_on(fork: Delta, block: BlockInfo, raw: bytes, passed: PassedChecks | None = None) -> TxOutcome:
    """Run one transaction on ``fork``, a fresh overlay the caller applies only if ``outcome.charged``.

    ``fork`` receives the fee and the sequence, plus the action's writes if the action
    succeeds; a failed action leaves only the fee and the sequence in it.  ``passed``: the
    caller's memo of passed stateless checks (``PassedChecks``; ``None``: check afresh).
    """
    tx_hash, signer, action = b"", "", ""
    try:
        tx, ctx = check_stateless(raw, block, passed)
        tx_hash, signer, action = tx.hash, ctx.signer, type(tx.action).__name__
        payer = auth.authenticate(fork, ctx, components.FEE_PAYER, block)
    except LedgerError as error:
        return rejected(error, tx_hash or txcodec.tx_hash(raw), signer, action)
    _, execute = components.ROUTER[type(tx.action)]
    acting = fork.fork()
    try:
        events = execute(acting, block, ctx, tx.action)
    except LedgerError as error:   # the action's fork is dropped; the fee and the sequence stay taken
        charged = (auth.FeeCharged(signer, payer, ctx.fee, ctx.sequence),)
        return TxOutcome(error.code, error.codespace, error.message, charged, tx_hash, signer, action, True)
    acting.apply()
    return TxOutcome(0, "", "", tuple(events), tx_hash, signer, action, True)


def run_block(state: Delta, block: BlockInfo, txs: list[bytes], passed: PassedChecks | None = None) -> BlockOutcome:
    """Run the whole block on ``state``: begin-block hooks, every transaction in order, end-block hooks.

    ``passed``: the caller's memo of passed stateless checks (``PassedChecks``; ``None``: check afresh).
    The hooks' events are the block's events, in order; a ``ValidatorUpdates`` a hook returns
    (the validators' hook, last) becomes the outcome's ``validator_updates`` instead.
    """
    events: list[object] = []
    for hook in components.BEGIN_BLOCK:
        events.extend(hook(state, block))
    outcomes = [execute_tx(state, block, raw, passed) for raw in txs]
    updates: list[tuple[bytes, int]] = []
    for hook in components.END_BLOCK:
        for item in hook(state, block):
            if type(item) is ValidatorUpdates:
                updates.extend(item.updates)
            else:
                events.append(item)
    return BlockOutcome(outcomes, events, updates)
