"""Friction figures: per agreement, and aggregated per scope (network, requester, skill tag) per day or week.

Read with ``abci_app.chain.domain.friction``: aggregates are kept in state when agreements
settle, so a series is one prefix read; the median and 90th percentile come from
the module's own ``summary`` (bucket upper bounds, never interpolated).
"""

from __future__ import annotations

import enum

import strawberry
from strawberry.types import Info

from abci_app.chain.domain.friction import state as friction
from graphql_api.errors import ApiError
from graphql_api.types.common import BigInt, BlockHeight, state_height


@strawberry.type(name="AgreementFigures")
class AgreementFigures:
    agreement: str
    requester: str
    provider: str
    tags: list[str]
    price: BigInt
    settled_at: int
    to_first_offer: int = strawberry.field(description="seconds; -1 when it does not apply")
    to_agreement: int
    to_delivery: int
    to_settlement: int
    txs: int
    fees: BigInt
    outcome: str
    disputed: bool
    on_time: bool
    broken: bool


def make_figures(f: friction.AgreementFigures) -> AgreementFigures:
    return AgreementFigures(agreement=str(f.agreement_id), requester=f.requester, provider=f.provider,
                            tags=list(f.tags), price=f.price, settled_at=f.settled_at,
                            to_first_offer=f.to_first_offer, to_agreement=f.to_agreement,
                            to_delivery=f.to_delivery, to_settlement=f.to_settlement, txs=f.txs, fees=f.fees,
                            outcome=f.outcome, disputed=f.disputed, on_time=f.on_time, broken=f.broken)


@strawberry.type(name="Duration")
class Duration:
    count: int
    median: int = strawberry.field(description="seconds (bucket upper bound); -1 when empty")
    p90: int
    buckets: list[int]


@strawberry.type(name="FrictionPeriod")
class FrictionPeriod:
    period: int = strawberry.field(description="UTC day number (time // 86400) or Monday-based week number")
    agreements: int
    completed: int
    on_time: int
    broken: int
    disputed: int
    cancelled: int
    value: BigInt
    txs: int
    fees: BigInt
    to_first_offer: Duration
    to_agreement: Duration
    to_delivery: Duration
    to_settlement: Duration


@strawberry.enum(name="FrictionPeriodKind")
class PeriodKind(enum.Enum):
    day = "day"
    week = "week"


def make_period(period: int, agg: friction.Aggregate) -> FrictionPeriod:
    s = friction.summary(agg)
    durations = {name: Duration(**s[name]) for name in friction.DURATIONS}
    return FrictionPeriod(period=period, agreements=s["agreements"], completed=s["completed"], on_time=s["on_time"],
                          broken=s["broken"], disputed=s["disputed"], cancelled=s["cancelled"], value=s["value"],
                          txs=s["txs"], fees=s["fees"], **durations)


def scope_of(organization: str | None, tag: str | None) -> str:
    """Return the module's scope name: network-wide, one requester (organization) or one skill tag."""
    if organization is not None and tag is not None:
        raise ApiError("friction: give organization or tag, not both")
    if organization is not None:
        return "org/" + organization
    return "all" if tag is None else "tag/" + tag


@strawberry.type
class FrictionQueries:
    @strawberry.field(description="Friction aggregates per period, oldest first (network-wide by default; "
                                  "organization = a requester address, e.g. an organization's treasury)")
    def friction(self, info: Info, period: PeriodKind = PeriodKind.day, organization: str | None = None,
                 tag: str | None = None, period_gte: int | None = None, period_lte: int | None = None,
                 block: BlockHeight | None = None) -> list[FrictionPeriod]:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            height = state_height(reader, block)
            rows = friction.series(reader.state_at(height), scope_of(organization, tag), period.value)
        return [make_period(p, agg) for p, agg in rows
                if (period_gte is None or p >= period_gte) and (period_lte is None or p <= period_lte)]
