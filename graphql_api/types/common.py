"""Shared scalars, the ``block:`` argument and the height rules behind it.

Height rules:
* recorded history (blocks, transactions, events) answers ``block: {number: N}``
  for any recorded N by showing only what existed at N;
* state (accounts, supply) answers at any height the node retains (the versioned
  state of ``abci_app.chain.state``, the last ``store.retain_heights``); an older one is a
  clear error naming the retained range, never a silent answer at another height;
* ``number_gte: N`` demands freshness: an error while the latest height is below N.
"""

from __future__ import annotations

from typing import NewType

import strawberry

from abci_app.chain.errors import LedgerError
from graphql_api.errors import ApiError

BigInt = NewType("BigInt", int)
SCALARS = {BigInt: strawberry.scalar(name="BigInt", serialize=str, parse_value=lambda v: int(str(v)),
                                     description="An integer of any size, as a decimal string (amounts, balances)")}


@strawberry.input(name="Block_height", description="Which committed block an answer reflects (default: latest)")
class BlockHeight:
    number: int | None = None
    number_gte: int | None = None


def history_height(reader, block: BlockHeight | None) -> int:
    """Return the height a history read is clipped to, checking the ``block`` argument."""
    latest = reader.committed.height
    if block is None:
        return latest
    if block.number_gte is not None and latest < block.number_gte:
        raise ApiError(f"block {block.number_gte} is not committed yet (latest is {latest})")
    if block.number is None:
        return latest
    if block.number < 1 or block.number > latest:
        raise ApiError(f"block {block.number} is not committed (latest is {latest})")
    return block.number


def state_height(reader, block: BlockHeight | None) -> int:
    """Return the height a state read answers at; raise if the node no longer retains it."""
    height = history_height(reader, block)
    try:
        reader.store.check_height(reader.txn, height)
    except LedgerError as error:
        raise ApiError(f"state at block {height} is not retained: {error.message}") from None
    return height


def hex_or_none(value: bytes | None) -> str | None:
    return None if value is None else value.hex()


def parse_hex(text: str, what: str) -> bytes:
    try:
        return bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raise ApiError(f"{what}: not a hex string") from None


def walk_ids(state, prefix: bytes, key_of, after: int | None, reverse: bool):
    """Yield ``(key, raw)`` of id-keyed records in id order, strictly after the id ``after``."""
    start = None if after is None else key_of(after if reverse else after + 1)
    yield from state.iter_prefix(prefix, start, reverse)


def int_id(text: str | None, what: str) -> int | None:
    """Parse an object id given as a string (The Graph's ids are strings)."""
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise ApiError(f"not {what} id: {text!r}") from None
