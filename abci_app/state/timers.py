"""Time-ordered index keys: ``prefix || %016x(time) || "/" || %016x(id)``.

Modules that let block time move an object (an offer period ending, a transfer offer
expiring) keep one such key per pending deadline; an END_BLOCK hook reads only the
keys that are due, in time order, never the whole collection.
"""

from __future__ import annotations

from abci_app.state.protocols import StateRead


def timed_key(prefix: bytes, time: int, object_id: int) -> bytes:
    return prefix + b"%016x/%016x" % (time, object_id)


def due_ids(state: StateRead, prefix: bytes, now: int, limit: int | None = None) -> list[int]:
    """Return the ids indexed under ``prefix`` whose time is at or before ``now``, earliest first.

    With ``limit``, at most that many (the earliest): a block hook handles at most
    ``MarketParams.max_due_per_block`` items per queue and leaves the rest, still
    indexed, for the next block.
    """
    out: list[int] = []
    if limit is not None and limit <= 0:
        return out
    for key, _ in state.iter_prefix(prefix):
        time_hex, id_hex = key[len(prefix):].split(b"/")
        if int(time_hex, 16) > now:
            break
        out.append(int(id_hex, 16))
        if limit is not None and len(out) >= limit:
            break
    return out
