"""Typed state access for streams, their address indexes and the recurring-cost figures.

Invariant: the balance of ``RESERVES`` equals the sum of ``total - claimed`` over
all streams; every unit of it accrues to the stream's recipient by
``end_of_accrual`` at the latest (a bounded time), and ``ClaimStream`` is open to
anyone, so each has an exit.  Accrual is integer arithmetic only:
``min(total, amount_per_period * whole periods since start)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from abci_app.chain import addresses, codec
from abci_app.chain.domain.streams import keys
from abci_app.chain.domain.streams.errors import StreamNotFound
from abci_app.chain.state.protocols import StateRead, StateWrite

RESERVES = addresses.module("stream_reserves")
ACTIVE = "active"
STOPPED = "stopped"        # stopped by the payer; the accrued part may still be unclaimed
FINISHED = "finished"      # everything reserved has been paid out
MONTH = 30 * 86_400        # the recurring-cost figures are per 30 days


@dataclass(frozen=True, slots=True)
class Stream:
    id: int
    payer: str
    recipient: str
    amount_per_period: int
    period: int
    start: int
    total: int           # the reserve when created; the accrued part once stopped
    claimed: int
    status: str
    created_at: int
    stopped_at: int = 0


@dataclass(frozen=True, slots=True)
class RecurringCost:
    """Recurring-cost figures of one scope (``all`` or ``org/<payer>``), shown with the friction figures."""

    active: int = 0          # streams neither stopped nor fully paid
    per_30_days: int = 0     # what the active streams pay per 30 days (each rounded down)
    reserved: int = 0        # promised and not yet paid
    paid: int = 0
    returned: int = 0        # unaccrued reserves returned by stops


def accrued(stream: Stream, time: int) -> int:
    """What has accrued to the recipient by block time ``time`` (claimed or not)."""
    if time < stream.start:
        return 0
    return min(stream.total, stream.amount_per_period * ((time - stream.start) // stream.period))


def claimable(stream: Stream, time: int) -> int:
    return accrued(stream, time) - stream.claimed


def end_of_accrual(stream: Stream) -> int:
    """The first block time at which the whole ``total`` has accrued."""
    periods = -(-stream.total // stream.amount_per_period)
    return stream.start + periods * stream.period


def monthly(stream: Stream) -> int:
    return stream.amount_per_period * MONTH // stream.period


def get(state: StateRead, stream_id: int) -> Stream | None:
    raw = state.get(keys.stream(stream_id))
    return None if raw is None else codec.decode_value(Stream, raw)


def require(state: StateRead, stream_id: int) -> Stream:
    found = get(state, stream_id)
    if found is None:
        raise StreamNotFound(f"stream {stream_id} not found")
    return found


def put(state: StateWrite, stream: Stream) -> None:
    state.put(keys.stream(stream.id), codec.encode_value(stream))


def next_id(state: StateRead) -> int:
    raw = state.get(keys.NEXT_ID)
    return 1 if raw is None else int(raw)


def create(state: StateWrite, stream: Stream) -> None:
    put(state, stream)
    state.put(keys.NEXT_ID, b"%d" % (stream.id + 1))
    state.put(keys.link(keys.BY_PAYER, stream.payer, stream.id), b"")
    state.put(keys.link(keys.BY_RECIPIENT, stream.recipient, stream.id), b"")


def of_address(state: StateRead, index: bytes, address: str) -> Iterator[Stream]:
    prefix = keys.of(index, address)
    for key, _ in state.iter_prefix(prefix):
        yield require(state, int(key[len(prefix):]))


def all_streams(state: StateRead) -> Iterator[Stream]:
    for _, raw in state.iter_prefix(keys.STREAM_PREFIX):
        yield codec.decode_value(Stream, raw)


def recurring(state: StateRead, scope: str) -> RecurringCost:
    raw = state.get(keys.recurring(scope))
    return RecurringCost() if raw is None else codec.decode_value(RecurringCost, raw)


def add_recurring(state: StateWrite, payer: str, **deltas: int) -> None:
    """Add ``deltas`` (field -> signed amount) to the ``all`` and ``org/<payer>`` figures."""
    for scope in ("all", "org/" + payer):
        current = recurring(state, scope)
        changed = replace(current, **{name: getattr(current, name) + delta for name, delta in deltas.items()})
        state.put(keys.recurring(scope), codec.encode_value(changed))
