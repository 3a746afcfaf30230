"""The one write path: ``broadcastTransaction`` forwards signed bytes to CometBFT's RPC."""

from __future__ import annotations

import base64
import binascii
import enum

import strawberry
from strawberry.types import Info

from graphql_api.errors import ApiError

MAX_TX_BYTES = 1 << 20


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


def decode_tx(text: str) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ApiError("tx: not valid base64") from None
    if not raw or len(raw) > MAX_TX_BYTES:
        raise ApiError(f"tx: must be 1 to {MAX_TX_BYTES} bytes")
    return raw


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


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Forward a signed transaction (base64) to the node")
    async def broadcast_transaction(self, info: Info, tx: str,
                                    mode: BroadcastMode = BroadcastMode.SYNC) -> BroadcastResult:
        raw = decode_tx(tx)
        answer = await info.context.services.broadcaster.send(raw, mode.value)
        info.context.services.metrics.broadcast(mode.value, answer)
        return make_result(mode, answer)
