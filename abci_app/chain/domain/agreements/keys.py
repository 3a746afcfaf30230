"""State keys of the agreements module.

``due(time, agreement_id, milestone)`` keys (``state.timers`` format) sort by block time; the end-of-block
hook reads only the milestones whose window has ended.
"""

from __future__ import annotations

from abci_app.chain.state import timers

NEXT_ID = b"agr/seq"
AGREEMENT_PREFIX = b"agr/a/"
DUE_PREFIX = b"agr/due/"


def agreement(agreement_id: int) -> bytes:
    return AGREEMENT_PREFIX + b"%016x" % agreement_id


def rating(agreement_id: int, role: str) -> bytes:
    return b"agr/rating/%016x/%s" % (agreement_id, role.encode())


def due(time: int, agreement_id: int, milestone: int) -> bytes:
    return timers.time_key(DUE_PREFIX, time, agreement_id, milestone)
