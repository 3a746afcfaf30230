"""Time-ordered index keys: ``prefix || time || "/" || fields...``, and the bounded fetch of due entries.

Modules that let block time move an object (an offer period ending, a transfer offer
expiring) keep one such key per pending deadline; an END_BLOCK hook reads only the
keys that are due, in time order, never the whole collection, and at most a fixed
number of them per block (``due_batch``): the rest stay indexed and wait for the next
block, earliest first.  Times are 16 hex digits (``timed_key``); the proposals'
indexes use 20 decimal digits (``base=10``).
"""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain.state.protocols import StateRead


def timed_key(prefix: bytes, time: int, object_id: int) -> bytes:
    return prefix + b"%016x/%016x" % (time, object_id)


@dataclass(frozen=True, slots=True)
class DueBatch:
    entries: list[tuple[bytes, ...]]   # each due key's fields after its time, earliest first
    more: bool                         # further entries are due already but wait for a later block


def due_batch(state: StateRead, prefix: bytes, now: int, limit: int, base: int = 16) -> DueBatch:
    """Return at most ``limit`` entries indexed under ``prefix`` whose time is at or before ``now``.

    Reads ``limit + 1`` keys at most: the look-ahead tells whether more are due.
    """
    entries: list[tuple[bytes, ...]] = []
    for key, _ in state.iter_prefix(prefix):
        time_text, *fields = key[len(prefix):].split(b"/")
        if int(time_text, base) > now:
            return DueBatch(entries, False)
        if len(entries) >= limit:
            return DueBatch(entries, True)
        entries.append(tuple(fields))
    return DueBatch(entries, False)


def due_ids(state: StateRead, prefix: bytes, now: int, limit: int | None = None) -> list[int]:
    """Return the ids of ``timed_key`` entries due at or before ``now``, earliest first (at most ``limit``)."""
    if limit is not None and limit <= 0:
        return []
    batch = due_batch(state, prefix, now, (1 << 63) if limit is None else limit)
    return [int(fields[0], 16) for fields in batch.entries]
