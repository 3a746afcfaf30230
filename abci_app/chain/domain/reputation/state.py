"""Reputation records: counters and a decaying score, per address and per (address, tag).

The score is kept in milli-points as of ``score_time``; reading it at a later
block time decays it with the genesis half-life (``decay.decay``).  Adding points
first decays the stored score to now, then adds.  Points per event:

========================  ===========
completed as provider     +10 points
delivered on time         +5
completed as requester    +5
broken (as provider)      -20
dispute won / lost        +2 / -5
rating received (1..5)    (score - 3) * 2
========================  ===========

Gains are capped, losses are not: what a party gains from one agreement (its
settlement plus the rating it receives) is at most the agreement's gain cap
(``agreements.settle.gain_cap``: one point per ``reputation_value_per_point`` of
value settled to the provider, and the deal's fees over ``2 *
reputation_fee_per_point``).  Two keys dealing with each other therefore pay at
least ``reputation_fee_per_point`` in fees, which go to the community pool, for each
point the two of them gain.

Only ``agreements.settle`` and the rating handler write here, and only for settled
agreements between two distinct parties (the market rejects self-dealing when an
agreement is made).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, fields

from abci_app.chain import codec
from abci_app.chain.domain.reputation import decay, keys
from abci_app.chain.state.protocols import StateRead, StateWrite

MILLI = 1000
POINTS = {
    "completed_as_provider": 10 * MILLI,
    "on_time": 5 * MILLI,
    "completed_as_requester": 5 * MILLI,
    "broken": -20 * MILLI,
    "disputes_won": 2 * MILLI,
    "disputes_lost": -5 * MILLI,
    "disputes_opened": 0,
}
RATING_POINTS = 2 * MILLI


@dataclass(frozen=True, slots=True)
class Counts:
    """Counter increments (and rating totals) one settlement or rating adds."""

    completed_as_provider: int = 0
    completed_as_requester: int = 0
    on_time: int = 0
    broken: int = 0
    disputes_opened: int = 0
    disputes_won: int = 0
    disputes_lost: int = 0
    ratings_received: int = 0
    rating_sum: int = 0


@dataclass(frozen=True, slots=True)
class Reputation:
    counts: Counts = Counts()
    score: int = 0          # milli-points as of score_time
    score_time: int = 0


def points(counts: Counts) -> int:
    """Return the score change of ``counts`` in milli-points (uncapped)."""
    gain, loss = gain_and_loss(counts)
    return gain - loss


def gain_and_loss(counts: Counts) -> tuple[int, int]:
    """Return the positive and the negative parts (both >= 0) of ``counts``' points, in milli-points."""
    parts = [getattr(counts, name) * value for name, value in POINTS.items()]
    parts.append((counts.rating_sum - 3 * counts.ratings_received) * RATING_POINTS)
    return sum(p for p in parts if p > 0), -sum(p for p in parts if p < 0)


def capped_points(counts: Counts, cap: int | None) -> int:
    """Return the score change of ``counts``: its gains limited to ``cap`` (None: no limit), its losses in full."""
    gain, loss = gain_and_loss(counts)
    return (gain if cap is None else min(gain, cap)) - loss


def get(state: StateRead, address: str, tag: str = "") -> Reputation:
    raw = state.get(keys.tagged(address, tag) if tag else keys.account(address))
    return Reputation() if raw is None else codec.decode_value(Reputation, raw)


def score_at(rep: Reputation, now: int, half_life: int) -> int:
    """Return the score in milli-points decayed to block time ``now``."""
    return decay.decay(rep.score, now - rep.score_time, half_life)


def tags(state: StateRead, address: str) -> list[str]:
    prefix = keys.tags_of(address)
    return [k[len(prefix):].decode() for k, _ in state.iter_prefix(prefix)]


def add(state: StateWrite, address: str, tags_: tuple[str, ...], counts: Counts, now: int, half_life: int,
        gain_cap: int | None = None) -> None:
    """Add ``counts`` to the address's record and to its record for each tag; gains at most ``gain_cap``."""
    delta = capped_points(counts, gain_cap)
    for tag in ("",) + tuple(tags_):
        key = keys.tagged(address, tag) if tag else keys.account(address)
        state.put(key, codec.encode_value(_added(get(state, address, tag), counts, delta, now, half_life)))


def _added(rep: Reputation, counts: Counts, delta: int, now: int, half_life: int) -> Reputation:
    summed = Counts(*map(operator.add, _COUNTS(rep.counts), _COUNTS(counts)))
    return Reputation(summed, score_at(rep, now, half_life) + delta, now)


# Every counter of a ``Counts``, in field order (its positional arguments).
_COUNTS = operator.attrgetter(*(f.name for f in fields(Counts)))
