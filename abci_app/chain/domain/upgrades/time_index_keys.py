"""Release step (upgrade ``v2``, ``release.STEPS``): every time-index key in the one format of ``state.timers``.

App version 1 wrote the keys of its due queues in three text encodings; this step
rewrites each pending entry under ``timers.time_key`` (8-byte big-endian numbers, no
separator, a name last) with its value unchanged, and touches nothing else:

| queue (prefix)                               | version 1 key after the prefix      |
|----------------------------------------------|-------------------------------------|
| request offer periods (``mkt/due/``)          | ``%016x/%016x``: time, request id   |
| transfer offers (``prj/due/``)                | ``%016x/%016x``: time, project id   |
| milestones (``agr/due/``)                     | ``%016x/%016x/%04x``: time, agreement id, milestone |
| proposal votes, executions (``prop/end/``, ``prop/exe/``) | ``%020d/%020d``: time, proposal id |
| role expiries (``role/x/``)                   | ``%016x/%016x/<name>``: time, org id, name |

Its work is one delete and one put per pending entry (bounded by the state it
rewrites, as docs/upgrades.md allows a migration).  Like every release step it leaves
a key already in the new format as it is: a version 1 key is recognised by its shape
(ASCII digits, ``/`` at fixed places), which a new key's 8-byte big-endian time (its
first bytes are zero) never has.
"""

from __future__ import annotations

from typing import Callable

from abci_app.chain.domain.agreements import keys as agreement_keys
from abci_app.chain.domain.market import keys as market_keys
from abci_app.chain.domain.projects import keys as project_keys
from abci_app.chain.domain.proposals import keys as proposal_keys
from abci_app.chain.domain.roles import keys as role_keys
from abci_app.chain.state import timers
from abci_app.chain.state.protocols import StateWrite

Decoded = tuple[tuple[int, ...], bytes]   # (time and ids, tail)
DIGITS = {10: frozenset(b"0123456789"), 16: frozenset(b"0123456789abcdef")}


def _numbers(base: int, widths: tuple[int, ...], named: bool = False) -> Callable[[bytes], Decoded | None]:
    """A version 1 decoder: ``/``-separated numbers in ``base`` as wide as ``widths`` (then ``/name``
    when ``named``); ``None`` for a key of another shape."""
    def decode(body: bytes) -> Decoded | None:
        parts = body.split(b"/", len(widths)) if named else body.split(b"/")
        numbers, tail = (parts[:-1], parts[-1]) if named else (parts, b"")
        if tuple(len(p) for p in numbers) != widths or (named and len(parts) != len(widths) + 1):
            return None
        if any(not set(p) <= DIGITS[base] for p in numbers):
            return None
        return tuple(int(p, base) for p in numbers), tail
    return decode


HEX_PAIR = _numbers(16, (16, 16))
VERSION_1 = (
    (market_keys.DUE_PREFIX, HEX_PAIR),
    (project_keys.DUE_PREFIX, HEX_PAIR),
    (agreement_keys.DUE_PREFIX, _numbers(16, (16, 16, 4))),
    (proposal_keys.VOTING_ENDS, _numbers(10, (20, 20))),
    (proposal_keys.EXECUTIONS, _numbers(10, (20, 20))),
    (role_keys.EXPIRY_PREFIX, _numbers(16, (16, 16), named=True)),
)


def rewrite(state: StateWrite, height: int) -> None:
    """Rewrite every version 1 time-index key of ``state`` under ``timers.time_key`` (see the module doc)."""
    for prefix, decode in VERSION_1:
        for key, value in list(state.iter_prefix(prefix)):
            decoded = decode(bytes(key[len(prefix):]))
            if decoded is None:
                timers.split_time_key(prefix, key)   # already the new format (a malformed key halts the node)
                continue
            (time, *ids), tail = decoded
            state.delete(bytes(key))
            state.put(timers.time_key(prefix, time, *ids, tail=tail), bytes(value))
