"""Time-ordered index keys, one format for every queue, and the bounded fetch of due entries.

Modules that let block time move an object (an offer period ending, a milestone
window closing, a vote ending) keep one such key per pending deadline; an END_BLOCK
hook reads only the keys that are due, in time order, never the whole collection,
and at most a fixed number of them per block (``due_batch``): the rest stay indexed
and wait for the next block, earliest first.

# The key format (app version 2 on; upgrade ``time-index-keys``)

``time_key(prefix, time, *ids) = prefix || u64be(time) || u64be(id) || ...``: every
number is an 8-byte big-endian unsigned integer, found by its position; there is no
separator.  Why this one:

* byte order equals numeric order over the whole ``uint64`` range the transaction
  format carries, so LMDB's ordered cursor *is* the due queue, and ties at one time
  fall in id order;
* fixed width needs no separator and no text parsing: a field never contains a
  byte that could be confused with a separator, and the time is always the 8 bytes
  after the prefix;
* a number that does not fit raises ``OverflowError`` (the node halts, as for any
  bug) instead of silently sorting wrong, as ``%016x`` did past 2**64;
* it is the shortest fixed width for a ``uint64`` (8 bytes against 16 hex or 20 decimal
  digits).

Before app version 2 three text encodings coexisted (``%016x`` in market and projects,
``%016x/%016x/%04x`` in agreements, ``%020d`` in proposals); the ``time-index-keys``
migration (``domain/upgrades/time_index_keys.py``) rewrites them.
"""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain.state.protocols import StateRead

WIDTH = 8   # bytes per number


def time_key(prefix: bytes, time: int, *ids: int) -> bytes:
    """The index key of the object ``ids`` due at block time ``time`` under ``prefix``."""
    return prefix + b"".join(n.to_bytes(WIDTH, "big") for n in (time, *ids))


def parse_time_key(prefix: bytes, key: bytes) -> tuple[int, tuple[int, ...]]:
    """Return ``(time, ids)`` of a ``time_key`` under ``prefix``; a key of another shape is a ValueError."""
    body = bytes(key[len(prefix):])
    if not key.startswith(prefix) or len(body) < 2 * WIDTH or len(body) % WIDTH:
        raise ValueError(f"not a time-index key under {prefix!r}: {bytes(key)!r}")
    numbers = [int.from_bytes(body[i:i + WIDTH], "big") for i in range(0, len(body), WIDTH)]
    return numbers[0], tuple(numbers[1:])


@dataclass(frozen=True, slots=True)
class DueBatch:
    entries: list[tuple[int, ...]]   # each due key's ids (the numbers after its time), earliest first
    more: bool                       # further entries are due already but wait for a later block


def due_batch(state: StateRead, prefix: bytes, now: int, limit: int) -> DueBatch:
    """Return at most ``limit`` entries indexed under ``prefix`` whose time is at or before ``now``.

    Reads ``limit + 1`` keys at most: the look-ahead tells whether more are due.
    """
    entries: list[tuple[int, ...]] = []
    for key, _ in state.iter_prefix(prefix):
        time, ids = parse_time_key(prefix, key)
        if time > now:
            return DueBatch(entries, False)
        if len(entries) >= limit:
            return DueBatch(entries, True)
        entries.append(ids)
    return DueBatch(entries, False)


def due_ids(state: StateRead, prefix: bytes, now: int, limit: int | None = None) -> list[int]:
    """Return the first id of each entry due at or before ``now``, earliest first (at most ``limit``)."""
    if limit is not None and limit <= 0:
        return []
    batch = due_batch(state, prefix, now, (1 << 63) if limit is None else limit)
    return [ids[0] for ids in batch.entries]
