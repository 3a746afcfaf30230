"""Time-ordered index keys, one format for every queue, and the bounded fetch of due entries.

Modules that let block time move an object (an offer period ending, a milestone
window closing, a vote ending) keep one such key per pending deadline; an END_BLOCK
hook reads only the keys that are due, in time order, never the whole collection,
and at most a fixed number of them per block (``due_batch``): the rest stay indexed
and wait for the next block, earliest first.

# The key format (app version 2 on; upgrade ``v2``)

``time_key(prefix, time, *ids, tail=b"") = prefix || u64be(time) || u64be(id) || ... || tail``:
every number is an 8-byte big-endian unsigned integer, found by its position; there is no
separator; a queue whose objects are named (roles: organization id, then name) puts the
name last, as the tail.  Why this one:

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

Before app version 2 three text encodings coexisted (``%016x`` in market, projects and
roles, ``%016x/%016x/%04x`` in agreements, ``%020d`` in proposals); the release
migration's step ``time_index_keys.rewrite`` (``domain/upgrades``) rewrites them.
"""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain.state.protocols import StateRead

WIDTH = 8   # bytes per number


def time_key(prefix: bytes, time: int, *ids: int, tail: bytes = b"") -> bytes:
    """The index key of the object ``ids`` (then ``tail``, a name, if any) due at block time ``time``."""
    return prefix + b"".join(n.to_bytes(WIDTH, "big") for n in (time, *ids)) + tail


def split_time_key(prefix: bytes, key: bytes) -> tuple[int, bytes]:
    """Return ``(time, rest)`` of a ``time_key``: its time and the bytes after it (ids, then tail)."""
    body = bytes(key[len(prefix):])
    if not key.startswith(prefix) or len(body) < WIDTH:
        raise ValueError(f"not a time-index key under {prefix!r}: {bytes(key)!r}")
    return int.from_bytes(body[:WIDTH], "big"), body[WIDTH:]


def read_ids(rest: bytes, count: int) -> tuple[tuple[int, ...], bytes]:
    """Return the first ``count`` ids of a key's ``rest`` and what follows them (the tail)."""
    if len(rest) < count * WIDTH:
        raise ValueError(f"a time-index key holds fewer than {count} ids: {rest!r}")
    ids = tuple(int.from_bytes(rest[i * WIDTH:(i + 1) * WIDTH], "big") for i in range(count))
    return ids, rest[count * WIDTH:]


def parse_time_key(prefix: bytes, key: bytes) -> tuple[int, tuple[int, ...]]:
    """Return ``(time, ids)`` of a ``time_key`` without tail; a key of another shape is a ValueError."""
    time, rest = split_time_key(prefix, key)
    if not rest or len(rest) % WIDTH:
        raise ValueError(f"not a numeric time-index key under {prefix!r}: {bytes(key)!r}")
    return time, read_ids(rest, len(rest) // WIDTH)[0]


def first_id(rest: bytes) -> int:
    """The object id of a due entry: the first id after its time."""
    return read_ids(rest, 1)[0][0]


@dataclass(frozen=True, slots=True)
class DueBatch:
    entries: list[bytes]   # each due key's rest (ids, then tail; ``read_ids``), earliest first
    more: bool             # further entries are due already but wait for a later block


def due_batch(state: StateRead, prefix: bytes, now: int, limit: int) -> DueBatch:
    """Return at most ``limit`` entries indexed under ``prefix`` whose time is at or before ``now``.

    Reads ``limit + 1`` keys at most: the look-ahead tells whether more are due.
    """
    entries: list[bytes] = []
    for key, _ in state.iter_prefix(prefix):
        time, rest = split_time_key(prefix, key)
        if time > now:
            return DueBatch(entries, False)
        if len(entries) >= limit:
            return DueBatch(entries, True)
        entries.append(rest)
    return DueBatch(entries, False)


def due_ids(state: StateRead, prefix: bytes, now: int, limit: int | None = None) -> list[int]:
    """Return the first id of each entry due at or before ``now``, earliest first (at most ``limit``)."""
    if limit is not None and limit <= 0:
        return []
    batch = due_batch(state, prefix, now, (1 << 63) if limit is None else limit)
    return [first_id(rest) for rest in batch.entries]
