"""Messages of the validators module: what only the network organization may do (through its proposals)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UpdateValidator:
    """Set the voting power of the ed25519 consensus key ``pub_key`` (0 removes it); network organization only."""

    pub_key: bytes
    power: int


@dataclass(frozen=True, slots=True)
class SpendCommunityPool:
    """Pay ``amount`` from the community pool to ``to``; network organization only."""

    to: str
    amount: int
    memo: str = ""


@dataclass(frozen=True, slots=True)
class MarketParamChange:
    name: str = ""     # a field of ``MarketParams``
    value: int = 0


@dataclass(frozen=True, slots=True)
class UpdateMarketParams:
    """Set the named market parameters (the others keep their values); network organization only."""

    changes: tuple[MarketParamChange, ...]
