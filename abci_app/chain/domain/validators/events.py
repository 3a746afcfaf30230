"""Typed events of the validators module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ValidatorUpdated:
    TYPE: ClassVar[str] = "validator_updated"
    pub_key: bytes
    old_power: int
    power: int


@dataclass(frozen=True, slots=True)
class ValidatorMisbehavior:
    """CometBFT reported evidence (FinalizeBlock ``misbehavior``) in this block."""

    TYPE: ClassVar[str] = "validator_misbehavior"
    kind: str               # "duplicate_vote" or "light_client_attack"
    validator: bytes        # 20-byte consensus address
    power: int
    height: int             # height of the offence
    time: int               # time of the offence (seconds)


@dataclass(frozen=True, slots=True)
class CommunityPoolSpent:
    TYPE: ClassVar[str] = "community_pool_spent"
    to: str
    amount: int
    memo: str


@dataclass(frozen=True, slots=True)
class MarketParamsUpdated:
    TYPE: ClassVar[str] = "market_params_updated"
    names: str          # the changed parameters, comma-separated in the order given
