"""Upgrade ``time-index-keys`` (app version 2): every time-index key in the one format of ``state.timers``.

App version 1 wrote the keys of its five due queues in three text encodings; this
migration rewrites each pending entry under ``timers.time_key`` (8-byte big-endian
numbers, no separator) with its value unchanged, and touches nothing else:

| queue (prefix)                               | version 1 key after the prefix      |
|----------------------------------------------|-------------------------------------|
| request offer periods (``mkt/due/``)          | ``%016x/%016x``: time, request id   |
| transfer offers (``prj/due/``)                | ``%016x/%016x``: time, project id   |
| milestones (``agr/due/``)                     | ``%016x/%016x/%04x``: time, agreement id, milestone |
| proposal votes, executions (``prop/end/``, ``prop/exe/``) | ``%020d/%020d``: time, proposal id |

Its work is one delete and one put per pending entry (bounded by the state it
rewrites, as docs/upgrades.md allows a migration).  A version 1 key that does not
parse raises ``ValueError``: the node halts rather than drop a deadline.
"""

from __future__ import annotations

from typing import Callable

from abci_app.chain.domain.agreements import keys as agreement_keys
from abci_app.chain.domain.market import keys as market_keys
from abci_app.chain.domain.projects import keys as project_keys
from abci_app.chain.domain.proposals import keys as proposal_keys
from abci_app.chain.state import timers
from abci_app.chain.state.protocols import StateWrite

NAME = "time-index-keys"
APP_VERSION = 2


def _numbers(base: int, widths: tuple[int, ...]) -> Callable[[bytes], tuple[int, ...]]:
    """A version 1 decoder: ``/``-separated numbers in ``base``, each exactly as wide as ``widths`` says."""
    def decode(body: bytes) -> tuple[int, ...]:
        parts = body.split(b"/")
        if tuple(len(p) for p in parts) != widths:
            raise ValueError(f"not a version 1 time-index key: {body!r}")
        return tuple(int(p, base) for p in parts)
    return decode


HEX_PAIR = _numbers(16, (16, 16))
VERSION_1 = (
    (market_keys.DUE_PREFIX, HEX_PAIR),
    (project_keys.DUE_PREFIX, HEX_PAIR),
    (agreement_keys.DUE_PREFIX, _numbers(16, (16, 16, 4))),
    (proposal_keys.VOTING_ENDS, _numbers(10, (20, 20))),
    (proposal_keys.EXECUTIONS, _numbers(10, (20, 20))),
)


def migrate(state: StateWrite, height: int) -> None:
    """Rewrite every version 1 time-index key of ``state`` under ``timers.time_key`` (see the module doc)."""
    for prefix, decode in VERSION_1:
        for key, value in list(state.iter_prefix(prefix)):
            time, *ids = decode(bytes(key[len(prefix):]))
            state.delete(bytes(key))
            state.put(timers.time_key(prefix, time, *ids), bytes(value))
