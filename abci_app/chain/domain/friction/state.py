"""Friction figures in state: written when an agreement settles, exact and part of the app hash.

Durations run from the request's posting (for a taken standing offer: from the
taking) to the first offer, to the agreement, to the last delivery and to
settlement.  A duration that does not apply (no offer stage, nothing delivered)
is ``-1`` and is left out of its histogram.

Aggregates are kept per scope (network-wide, per requester address, per skill
tag) and per period (UTC day ``time // 86400``; week ``(day + 3) // 7``, weeks
starting on Monday) of the settlement time.  Each holds counts, totals and one
histogram per duration over the fixed ``BUCKETS`` (upper bounds in seconds; the
last bucket is open).  The median and 90th percentile are read from the
histogram as the upper bound of the bucket that holds that rank: exact to the
bucket, never interpolated.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, fields
from typing import Any

from abci_app.chain import codec
from abci_app.chain.domain.friction import keys
from abci_app.chain.state.protocols import StateRead, StateWrite

MINUTE, HOUR, DAY = 60, 3_600, 86_400
BUCKETS = (MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 3 * DAY,
           7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY, 90 * DAY, 180 * DAY)
DURATIONS = ("to_first_offer", "to_agreement", "to_delivery", "to_settlement")
KINDS = ("day", "week")
OPEN_ENDED = BUCKETS[-1] + 1


@dataclass(frozen=True, slots=True)
class AgreementFigures:
    agreement_id: int
    requester: str
    provider: str
    tags: tuple[str, ...]
    price: int
    settled_at: int
    to_first_offer: int
    to_agreement: int
    to_delivery: int
    to_settlement: int
    txs: int
    fees: int
    outcome: str
    disputed: bool
    on_time: bool
    broken: bool


def _zeros() -> tuple[int, ...]:
    return (0,) * (len(BUCKETS) + 1)


@dataclass(frozen=True, slots=True)
class Aggregate:
    agreements: int = 0
    completed: int = 0
    on_time: int = 0
    broken: int = 0
    disputed: int = 0
    cancelled: int = 0
    value: int = 0
    txs: int = 0
    fees: int = 0
    to_first_offer: tuple[int, ...] = _zeros()
    to_agreement: tuple[int, ...] = _zeros()
    to_delivery: tuple[int, ...] = _zeros()
    to_settlement: tuple[int, ...] = _zeros()


def period(kind: str, time: int) -> int:
    day = time // DAY
    return day if kind == "day" else (day + 3) // 7


def bucket(seconds: int) -> int:
    """Return the index of the first bucket whose bound is at least ``seconds`` (``len(BUCKETS)``: the open one)."""
    return bisect_left(BUCKETS, seconds)


def scopes(fig: AgreementFigures) -> list[str]:
    return ["all", "org/" + fig.requester] + ["tag/" + tag for tag in fig.tags]


def get_figures(state: StateRead, agreement_id: int) -> AgreementFigures | None:
    raw = state.get(keys.figures(agreement_id))
    return None if raw is None else codec.decode_value(AgreementFigures, raw)


def get_aggregate(state: StateRead, scope: str, kind: str, period_: int) -> Aggregate:
    raw = state.get(keys.aggregate(scope, kind, period_))
    return Aggregate() if raw is None else codec.decode_value(Aggregate, raw)


def series(state: StateRead, scope: str, kind: str) -> list[tuple[int, Aggregate]]:
    """Return ``(period, aggregate)`` for every period with settlements, oldest first."""
    prefix = keys.series(scope, kind)
    return [(int(k[len(prefix):], 16), codec.decode_value(Aggregate, v)) for k, v in state.iter_prefix(prefix)]


def record(state: StateWrite, fig: AgreementFigures) -> None:
    """Store one settled agreement's figures and add them to every aggregate they belong to."""
    state.put(keys.figures(fig.agreement_id), codec.encode_value(fig))
    for scope in scopes(fig):
        for kind in KINDS:
            key = keys.aggregate(scope, kind, period(kind, fig.settled_at))
            current = get_aggregate(state, scope, kind, period(kind, fig.settled_at))
            state.put(key, codec.encode_value(added(current, fig)))


def added(agg: Aggregate, fig: AgreementFigures) -> Aggregate:
    """Return ``agg`` with one agreement's figures added (one histogram count per duration that applies)."""
    return Aggregate(agg.agreements + 1, agg.completed + (fig.outcome == "completed"), agg.on_time + fig.on_time,
                     agg.broken + fig.broken, agg.disputed + fig.disputed,
                     agg.cancelled + (fig.outcome == "cancelled"), agg.value + fig.price, agg.txs + fig.txs,
                     agg.fees + fig.fees, _counted(agg.to_first_offer, fig.to_first_offer),
                     _counted(agg.to_agreement, fig.to_agreement), _counted(agg.to_delivery, fig.to_delivery),
                     _counted(agg.to_settlement, fig.to_settlement))


def _counted(histogram: tuple[int, ...], seconds: int) -> tuple[int, ...]:
    """Return ``histogram`` with ``seconds`` counted in its bucket; unchanged for ``-1`` (does not apply)."""
    if seconds < 0:
        return histogram
    index = bisect_left(BUCKETS, seconds)
    return histogram[:index] + (histogram[index] + 1,) + histogram[index + 1:]


def percentile(histogram: tuple[int, ...], percent: int) -> int:
    """Return the upper bound of the bucket holding the ``percent``-th percentile.

    ``-1`` if the histogram is empty; ``OPEN_ENDED`` (one second past the last
    bound) if the rank falls in the open last bucket.
    """
    total = sum(histogram)
    if total == 0:
        return -1
    rank = max(1, (total * percent + 99) // 100)
    seen = 0
    for index, count in enumerate(histogram):
        seen += count
        if seen >= rank:
            return BUCKETS[index] if index < len(BUCKETS) else OPEN_ENDED
    return -1


def summary(agg: Aggregate) -> dict[str, Any]:
    """Return an aggregate as plain data with the median and 90th percentile of every duration."""
    out = {f.name: getattr(agg, f.name) for f in fields(Aggregate) if f.name not in DURATIONS}
    for name in DURATIONS:
        histogram = getattr(agg, name)
        out[name] = {"count": sum(histogram), "median": percentile(histogram, 50),
                     "p90": percentile(histogram, 90), "buckets": list(histogram)}
    return out
