"""Market parameters: the windows and default rules of requests, agreements, disputes and projects.

Set once in the genesis section ``"market"`` (every field optional, defaults
below) and stored under ``PARAMS_KEY``.  Handlers and block hooks read them from
state, so every validator applies the same windows.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from abci_app.chain import codec
from abci_app.chain.state.protocols import StateRead, StateWrite

PARAMS_KEY = b"mkt/params"
DAY = 86_400
BPS = 10_000


@dataclass(frozen=True, slots=True)
class MarketParams:
    review_window: int = 7 * DAY            # delivered, silent requester -> released to the provider
    arbitration_window: int = 14 * DAY      # disputed, silent arbiter -> default outcome (community pool)
    reclaim_window: int = 30 * DAY          # deadline passed, nobody acted -> refunded (broken)
    max_offer_window: int = 90 * DAY        # a request accepts offers at most this long
    max_delivery_window: int = 730 * DAY    # a delivery deadline lies at most this far ahead
    max_transfer_window: int = 90 * DAY     # a project transfer offer stays open at most this long
    dispute_bond_bps: int = 1_000           # bond the disputing requester escrows, in bps of the milestone
    cancel_window: int = 7 * DAY            # a cancel proposal expires this long after it is made
    reputation_half_life: int = 90 * DAY    # reputation score halves every half-life of block time
    reputation_value_per_point: int = 10    # settled value (units paid to the provider) per reputation point
    reputation_fee_per_point: int = 1       # deal fees per point, summed over both parties (the farming cost)
    max_due_per_block: int = 256            # items each time-driven queue handles per block; the rest wait
    max_project_items: int = 128            # open requests + unsettled agreements + documents per project


MAY_BE_ZERO = frozenset({"dispute_bond_bps"})


class MarketParamsError(ValueError):
    """The genesis ``market`` section is invalid."""


def get(state: StateRead) -> MarketParams:
    raw = state.get(PARAMS_KEY)
    return MarketParams() if raw is None else codec.decode_value(MarketParams, raw)


def put(state: StateWrite, params: MarketParams) -> None:
    state.put(PARAMS_KEY, codec.encode_value(params))


def parse(section: dict[str, Any] | None) -> MarketParams:
    """Validate a genesis ``market`` section: known fields, positive windows and rates, a bond in basis points.

    ``default_provider_bps`` (a share of a disputed milestone once paid to the provider when
    the arbiter stayed silent) is gone: a silent dispute now pays neither party (see
    ``agreements.settle``), so a genesis naming it is refused as an unknown param.
    """
    section = section or {}
    if not isinstance(section, dict):
        raise MarketParamsError("the market section must be a JSON object")
    names = {f.name for f in dataclasses.fields(MarketParams)}
    unknown = sorted(set(section) - names)
    if unknown:
        raise MarketParamsError(f"unknown market params: {', '.join(unknown)}")
    for name, value in section.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > (1 << 40):
            raise MarketParamsError(f"market param {name} must be an integer in [0, 2^40], got {value!r}")
        if name not in MAY_BE_ZERO and value == 0:
            raise MarketParamsError(f"market param {name} must be positive")
    params = MarketParams(**section)
    if params.dispute_bond_bps > BPS:
        raise MarketParamsError(f"dispute_bond_bps must be at most {BPS}")
    return params


def init_genesis(state: StateWrite, section: dict[str, Any] | None) -> None:
    """Genesis hook: store the market parameters (defaults for absent fields)."""
    put(state, parse(section))
