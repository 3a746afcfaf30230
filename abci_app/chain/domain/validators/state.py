"""Typed state access: the validator set as the app sees it, this block's changes, misbehavior.

Every read iterates state prefixes in key order (deterministic).  The set record
``val/s/<pub_key>`` always holds the newest power (the change made in the current
block included); ``val/p/<pub_key>`` remembers, for the current block only, the
power the key had when the block started, so a block's total change is known.
"""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.validators import keys
from abci_app.chain.domain.validators.events import ValidatorMisbehavior
from abci_app.chain.state.protocols import StateRead, StateWrite


def encode_power(power: int) -> bytes:
    """The stored form of a validator's power in ``val/s/<pub_key>``: decimal text (app version 1)."""
    return b"%d" % power


def decode_power(raw: bytes) -> int:
    return int(raw)


def power(state: StateRead, pub_key: bytes) -> int:
    raw = state.get(keys.member(pub_key))
    return 0 if raw is None else decode_power(raw)


def members(state: StateRead) -> list[tuple[bytes, int]]:
    """Return ``(pub_key, power)`` of every validator, in key order."""
    start = len(keys.SET_PREFIX)
    return [(bytes(k[start:]), decode_power(v)) for k, v in state.iter_prefix(keys.SET_PREFIX)]


def total_power(state: StateRead) -> int:
    return sum(p for _, p in members(state))


def network_org(state: StateRead) -> int | None:
    raw = state.get(keys.ORG)
    return None if raw is None else int(raw)


def min_validators(state: StateRead) -> int:
    raw = state.get(keys.MIN_VALIDATORS)
    return 1 if raw is None else int(raw)


def pending(state: StateRead) -> list[tuple[bytes, int, int]]:
    """Return this block's changes as ``(pub_key, power at block start, new power)``."""
    start = len(keys.PENDING_PREFIX)
    out = []
    for key, raw in state.iter_prefix(keys.PENDING_PREFIX):
        old, new = (int(x) for x in bytes(raw).split(b" "))
        out.append((bytes(key[start:]), old, new))
    return out


def set_power(state: StateWrite, pub_key: bytes, new: int) -> int:
    """Record ``pub_key``'s new power (0 removes it) and remember its power at block start; return the old power."""
    old = power(state, pub_key)
    raw = state.get(keys.pending(pub_key))
    block_start = old if raw is None else int(bytes(raw).split(b" ")[0])
    state.put(keys.pending(pub_key), b"%d %d" % (block_start, new))
    if new == 0:
        state.delete(keys.member(pub_key))
    else:
        state.put(keys.member(pub_key), encode_power(new))
    return old


def take_updates(state: StateWrite) -> list[tuple[bytes, int]]:
    """Return the block's validator updates ``(pub_key, power)`` in key order and forget them.

    A key changed back to its block-start power is not reported (nothing changed).
    """
    changes = pending(state)
    for pub_key, _, _ in changes:
        state.delete(keys.pending(pub_key))
    return [(pub_key, new) for pub_key, old, new in changes if new != old]


def record_misbehavior(state: StateWrite, height: int, items: list[ValidatorMisbehavior]) -> None:
    """Store the misbehavior CometBFT reported in block ``height`` (kept for queries and audits)."""
    count = int(state.get(keys.MISBEHAVIOR_COUNT) or b"0")
    for index, item in enumerate(items):
        state.put(keys.misbehavior(height, index), codec.encode_value(item))
    if items:
        state.put(keys.MISBEHAVIOR_COUNT, b"%d" % (count + len(items)))


def misbehavior(state: StateRead) -> list[ValidatorMisbehavior]:
    return [codec.decode_value(ValidatorMisbehavior, raw) for _, raw in state.iter_prefix(keys.MISBEHAVIOR_PREFIX)]
