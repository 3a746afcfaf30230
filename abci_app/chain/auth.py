"""Transaction authentication: size, encoding, version, chain id, signature, sequence, fee.

``check_stateless`` runs without state (CheckTx, PrepareProposal, ProcessProposal and
FinalizeBlock all call it); ``authenticate`` checks the signer's account and takes the
fee and the sequence in the transaction's authentication overlay.  That overlay is
kept even when the action then fails (``abci_app.chain.block``): an authenticated
transaction always pays its fee and consumes its sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

from nacl.bindings import crypto_sign_open
from nacl.exceptions import BadSignatureError

from abci_app.chain import addresses, txcodec
from abci_app.chain.txcodec import SignedTx
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.params import Params
from abci_app.chain.errors import (BadPublicKey, BadSignature, FeeTooLow, InsufficientFee, InsufficientFunds,
                             SequenceMismatch, TxTooLarge, UnknownFeePayer, UnknownSender, UnsupportedVersion, WrongChain)
from abci_app.chain.state.protocols import StateRead, StateWrite

_VERIFIED_MAX = 1 << 17
SIGNATURE_BYTES = 64
_verified: dict[bytes, None] = {}


@dataclass(frozen=True, slots=True)
class FeeCharged:
    """A failed transaction's only event: its fee was taken from ``payer`` and its ``sequence`` consumed."""

    TYPE: ClassVar[str] = "fee_charged"
    signer: str
    payer: str
    fee: int
    sequence: int


def check_stateless(raw: bytes, chain_id: str, params: Params) -> tuple[SignedTx, TxContext]:
    """Decode and verify a transaction without reading state."""
    if len(raw) > params.max_tx_bytes:
        raise TxTooLarge(f"transaction is {len(raw)} bytes, at most {params.max_tx_bytes} allowed")
    tx = txcodec.decode_tx(raw)
    if tx.version != txcodec.TX_VERSION:
        raise UnsupportedVersion(f"unsupported transaction version {tx.version}, expected {txcodec.TX_VERSION}")
    if tx.chain_id != chain_id:
        raise WrongChain(f"transaction is for chain {tx.chain_id!r}, this is {chain_id!r}")
    if len(tx.public_key) != 32:
        raise BadPublicKey(f"public key must be 32 bytes, got {len(tx.public_key)}")
    verify_signature(tx)
    if tx.fee_payer:
        addresses.validate(tx.fee_payer, "fee payer")
    ctx = TxContext(addresses.from_public_key(tx.public_key), tx.sequence, tx.fee, tx.fee_payer, tx.hash, params)
    return tx, ctx


def verify_signature(tx: SignedTx) -> None:
    """Raise ``BadSignature`` unless the signature is valid; each transaction is verified once."""
    if tx.hash in _verified:
        return
    if not signature_valid(tx.body, tx.signature, tx.public_key):
        raise BadSignature("signature verification failed (wrong key, wrong chain id or altered body)")
    mark_verified(tx.hash)


def signature_valid(body: bytes, signature: bytes, public_key: bytes) -> bool:
    """True if ``signature`` is the key's strict RFC 8032 signature of ``sign_bytes(body)``; pure, thread-safe."""
    if len(signature) != SIGNATURE_BYTES:
        return False
    try:
        crypto_sign_open(signature + txcodec.sign_bytes(body), public_key)  # libsodium, strict RFC 8032
    except (BadSignatureError, ValueError, TypeError):
        return False
    return True


def verified_hash(raw: bytes) -> bytes | None:
    """The hash of ``raw`` if its signature is valid for its own body and key, else None (pure, thread-safe).

    Run off the event loop by the ABCI server's signature worker; the answer only counts once
    the loop passes it to ``mark_verified``.  It is the check ``verify_signature`` makes, so a
    transaction marked here is never verified again (docs/transactions.md, "Signing").
    """
    parts = txcodec.signed_parts(raw)
    if parts is None or len(parts[2]) != 32 or not signature_valid(*parts):
        return None
    return txcodec.tx_hash(raw)


def mark_verified(tx_hash: bytes) -> None:
    """Remember that the transaction with ``tx_hash`` carries a valid signature (bounded; oldest first out)."""
    if len(_verified) >= _VERIFIED_MAX:
        del _verified[next(iter(_verified))]
    _verified[tx_hash] = None


def authenticate(state: StateWrite, ctx: TxContext, fee_payer_hook: Callable[..., str] | None = None,
                 block: BlockInfo | None = None) -> str:
    """Check the signer's sequence and fee, then take the fee and bump the sequence; return who paid.

    A named ``fee_payer`` is always resolved by ``fee_payer_hook(state, block, ctx)``
    (even for a zero fee), so a transaction naming a payer without a valid
    allowance is rejected.  A signer with no account yet may act when a payer
    sponsors it: the account is created (balance 0, sequence 1 after this
    transaction) whether or not the action then succeeds, so the sponsored bytes
    cannot run twice.
    """
    account = accounts.get(state, ctx.signer)
    if account is None and not ctx.fee_payer:
        raise UnknownSender(f"unknown sender {ctx.signer}: the account has never held funds")
    if account is None:  # a newcomer whose fee an organization sponsors (checked below)
        account = accounts.Account()
    if account.sequence != ctx.sequence:
        raise SequenceMismatch(f"account sequence mismatch: expected {account.sequence}, got {ctx.sequence}")
    if ctx.fee < ctx.params.min_fee:
        raise FeeTooLow(f"fee {ctx.fee} is below the minimum fee {ctx.params.min_fee}")
    if not ctx.fee_payer:   # the signer pays: fee and sequence in one write of the account read above
        try:
            accounts.charge(state, ctx.signer, account, ctx.fee, "fee payer balance")
        except InsufficientFunds as exc:
            raise InsufficientFee(f"cannot pay fee {ctx.fee}: {exc.message}") from None
        if ctx.fee:
            accounts.credit(state, addresses.COMMUNITY_POOL, ctx.fee)
        return ctx.signer
    if fee_payer_hook is None:
        raise UnknownFeePayer(f"fee payer {ctx.fee_payer} has no fee allowance for {ctx.signer}")
    payer = fee_payer_hook(state, block, ctx)
    if ctx.fee:
        try:
            accounts.move(state, payer, addresses.COMMUNITY_POOL, ctx.fee, "fee payer balance")
        except InsufficientFunds as exc:
            raise InsufficientFee(f"cannot pay fee {ctx.fee}: {exc.message}") from None
    accounts.bump_sequence(state, ctx.signer)
    return payer
