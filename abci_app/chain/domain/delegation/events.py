"""Typed events of the delegation module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class VoteDelegated:
    TYPE: ClassVar[str] = "vote_delegated"
    org_id: int
    delegator: str
    delegate: str
    tag: str


@dataclass(frozen=True, slots=True)
class DelegationRevoked:
    TYPE: ClassVar[str] = "delegation_revoked"
    org_id: int
    delegator: str
    tag: str


@dataclass(frozen=True, slots=True)
class DelegatedWeightCounted:
    """A vote also carried the weight of members who delegated to the voter (and have not voted themselves)."""

    TYPE: ClassVar[str] = "delegated_weight_counted"
    proposal_id: int
    voter: str
    choice: int
    delegated: int      # weight moved to this vote's choice besides the voter's own
