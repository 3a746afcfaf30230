"""Handlers of the accounts module: ``Transfer``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import AmountOutOfRange, MemoTooLong, ZeroAmount
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateWrite


@dataclass(frozen=True, slots=True)
class Transferred:
    TYPE: ClassVar[str] = "transfer"
    sender: str
    recipient: str
    amount: int
    memo: str


def check_amount(amount: int, what: str = "amount") -> None:
    """Reject a zero amount or one outside ``[1, MAX_AMOUNT]`` (a negative int64 lands above it)."""
    if amount == 0:
        raise ZeroAmount(f"{what} must be positive, got 0")
    if amount > accounts.MAX_AMOUNT:
        raise AmountOutOfRange(f"{what} {amount} is out of range (negative, or above 2^63-1)")


def check_text(text: str, limit: int, what: str = "memo") -> None:
    size = len(text.encode())
    if size > limit:
        raise MemoTooLong(f"{what} is {size} bytes, at most {limit} allowed")


def check_stateless_transfer(msg: Transfer, ctx: TxContext) -> None:
    addresses.validate(msg.to, "recipient address")
    check_amount(msg.amount)
    check_text(msg.memo, ctx.params.max_memo_bytes)


def check_and_execute_transfer(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: Transfer) -> list[object]:
    accounts.move(state, ctx.signer, msg.to, msg.amount)
    return [Transferred(ctx.signer, msg.to, msg.amount, msg.memo)]
