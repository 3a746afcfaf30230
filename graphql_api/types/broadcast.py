"""The one write path: ``broadcastTransaction`` checks signed bytes, then forwards them to CometBFT.

Before anything is forwarded (each refusal is a GraphQL error with ``extensions.code``):

1. One broadcast per request: a document naming ``broadcastTransaction`` more than once
   (aliases, fragments) fails validation (``single_broadcast_rule``); a batched HTTP
   request carrying it is refused with HTTP 400 (``app.SamenGraphQL``).
2. COMMIT mode must be enabled (``ApiConfig.commit_enabled``): ``COMMIT_DISABLED``.
3. The client's token bucket (``limits.RateLimiter``) must have a token: ``RATE_LIMITED``
   with ``retryAfterSeconds``.  Refused bytes spend a token too.
4. The bytes must be base64 of a Samen transaction within the chain's ``max_tx_bytes``
   that decodes (``txcodec.decode_tx_uncached``, stateless; signature, sequence and fee
   are CheckTx's to judge): ``BAD_TRANSACTION`` with the ``codespace`` and ``ledgerCode``
   CheckTx would have answered.
5. A COMMIT wait needs one of ``limits.MAX_COMMIT_WAITS`` slots: ``LIMIT_EXCEEDED``.

The params are read through ``readers.run``, so no LMDB reader is held while the
mutation waits on the node.  A COMMIT waits at most ``rpc.COMMIT_WAIT`` seconds.
"""

from __future__ import annotations

import base64
import binascii
import enum

import strawberry
from graphql import GraphQLError, ValidationRule
from strawberry.types import Info

from abci_app.chain import txcodec
from abci_app.chain.domain import params as params_mod
from abci_app.chain.errors import LedgerError, TxTooLarge
from graphql_api import readers
from graphql_api.errors import ApiError
from graphql_api.limits import LimitExceeded, RateLimited, client_key

FIELD = "broadcastTransaction"
MAX_TX_BYTES = 1 << 20      # never decode more than this, whatever the chain's max_tx_bytes


class BroadcastRefused(ApiError):
    """The transaction was not forwarded; ``extensions`` says why."""

    def __init__(self, message: str, code: str, **more) -> None:
        super().__init__(message)
        self.extensions = {"code": code, **more}


@strawberry.enum(name="BroadcastMode")
class BroadcastMode(enum.Enum):
    SYNC = "SYNC"
    COMMIT = "COMMIT"


@strawberry.type(name="BroadcastResult")
class BroadcastResult:
    hash: str
    mode: BroadcastMode
    check_code: int = strawberry.field(description="CheckTx answer (0: accepted into the mempool)")
    check_log: str
    code: int = strawberry.field(description="final code: CheckTx's for SYNC, FinalizeBlock's for COMMIT")
    codespace: str
    log: str
    block_number: int | None = strawberry.field(description="committing block (COMMIT mode only)")
    success: bool


class SingleBroadcast(ValidationRule):
    """Refuse a document that names ``broadcastTransaction`` more than once (aliases, fragments)."""

    def __init__(self, context) -> None:
        super().__init__(context)
        self.seen = 0

    def enter_field(self, node, *_args) -> None:
        if node.name.value != FIELD:
            return
        self.seen += 1
        if self.seen == 2:
            self.report_error(GraphQLError(f"{FIELD} may appear once per request (no aliases or repeats)", node))


def decode_tx(text: str) -> bytes:
    """Return the bytes of base64 ``text`` (1 to ``MAX_TX_BYTES``), checking the length first."""
    if len(text) > 4 * ((MAX_TX_BYTES + 2) // 3):
        raise _bad(TxTooLarge(f"transaction is larger than {MAX_TX_BYTES} bytes"))
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise BroadcastRefused("tx: not valid base64", "BAD_TRANSACTION") from None
    if not raw:
        raise BroadcastRefused("tx: empty", "BAD_TRANSACTION")
    return raw


def check_transaction(reader, raw: bytes) -> None:
    """Raise ``BroadcastRefused`` unless ``raw`` fits the chain's ``max_tx_bytes`` and decodes."""
    limit = params_mod.get(reader.state).max_tx_bytes
    try:
        if len(raw) > limit:
            raise TxTooLarge(f"transaction is {len(raw)} bytes, at most {limit} allowed")
        txcodec.decode_tx_uncached(raw)
    except LedgerError as error:
        raise _bad(error) from None


def _bad(error: LedgerError) -> BroadcastRefused:
    return BroadcastRefused(f"transaction refused before broadcast: {error}", "BAD_TRANSACTION",
                            codespace=error.codespace, ledgerCode=error.code)


def make_result(mode: BroadcastMode, answer: dict) -> BroadcastResult:
    """Build the result from CometBFT's broadcast_tx_sync / broadcast_tx_commit answer."""
    if mode is BroadcastMode.SYNC:
        check, final, height = answer, answer, None
    else:
        check, final = answer.get("check_tx", {}), answer.get("tx_result", {})
        height = int(answer["height"]) if int(check.get("code", 0)) == 0 and answer.get("height") else None
        final = final if int(check.get("code", 0)) == 0 else check
    code = int(final.get("code", 0))
    return BroadcastResult(hash=answer.get("hash", "").lower(), mode=mode, check_code=int(check.get("code", 0)),
                           check_log=check.get("log", ""), code=code, codespace=final.get("codespace", ""),
                           log=final.get("log", ""), block_number=height, success=code == 0)


async def broadcast(info: Info, tx: str, mode: BroadcastMode) -> BroadcastResult:
    """Check ``tx`` (module docstring, steps 2-5), forward it and return CometBFT's answer."""
    services = info.context.services
    limits, client = services.limits, client_key(info.context.request)
    if mode is BroadcastMode.COMMIT and not services.config.commit_enabled:
        limits.refused("broadcast_commit")
        raise BroadcastRefused("COMMIT mode is off on this server: broadcast with SYNC and follow the hash "
                               "(transaction(hash:) or the newBlocks subscription)", "COMMIT_DISABLED")
    try:
        limits.broadcasts.take(client)
    except RateLimited:
        limits.refused("broadcast_rate")
        raise
    try:
        raw = decode_tx(tx)
        readers.run(services.store, check_transaction, raw)
    except BroadcastRefused:
        limits.refused("broadcast_invalid")
        raise
    if mode is BroadcastMode.SYNC:
        return await _forward(services, raw, mode)
    refusal = limits.commit_waits.acquire(client)
    if refusal is not None:
        limits.refused("broadcast_commit")
        raise LimitExceeded(refusal + "; use SYNC, or retry once one has committed")
    try:
        return await _forward(services, raw, mode)
    finally:
        limits.commit_waits.release(client)


async def _forward(services, raw: bytes, mode: BroadcastMode) -> BroadcastResult:
    answer = await services.broadcaster.send(raw, mode.value)
    services.metrics.broadcast(mode.value, answer)
    return make_result(mode, answer)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Forward a signed transaction (base64) to the node, once checked "
                                     "(one per request, rate-limited per client; docs/graphql.md)")
    async def broadcast_transaction(self, info: Info, tx: str,
                                    mode: BroadcastMode = BroadcastMode.SYNC) -> BroadcastResult:
        return await broadcast(info, tx, mode)
