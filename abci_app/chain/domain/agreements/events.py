"""Typed events of the agreements module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class AgreementMade:
    TYPE: ClassVar[str] = "agreement_made"
    agreement_id: int
    requester: str
    provider: str
    arbiter: str
    price: int
    project_id: int
    request_id: int
    standing_offer_id: int


@dataclass(frozen=True, slots=True)
class MilestoneDelivered:
    TYPE: ClassVar[str] = "milestone_delivered"
    agreement_id: int
    milestone: int
    delivery_hash: bytes
    on_time: bool


@dataclass(frozen=True, slots=True)
class DisputeOpened:
    TYPE: ClassVar[str] = "dispute_opened"
    agreement_id: int
    milestone: int
    opened_by: str
    bond: int


@dataclass(frozen=True, slots=True)
class CancelProposed:
    TYPE: ClassVar[str] = "cancel_proposed"
    agreement_id: int
    proposed_by: str
    revision: int       # the agreement's revision holding the proposal; any later change voids it
    expires_at: int


@dataclass(frozen=True, slots=True)
class CancelWithdrawn:
    TYPE: ClassVar[str] = "cancel_withdrawn"
    agreement_id: int
    withdrawn_by: str


@dataclass(frozen=True, slots=True)
class MilestoneSettled:
    TYPE: ClassVar[str] = "milestone_settled"
    agreement_id: int
    milestone: int
    status: str
    to_provider: int
    to_requester: int
    to_community_pool: int


@dataclass(frozen=True, slots=True)
class DisputeBondSettled:
    """Where a disputed milestone's bond went: split like the arbiter's split, to the pool on default, back on cancel."""

    TYPE: ClassVar[str] = "dispute_bond_settled"
    agreement_id: int
    milestone: int
    bond: int
    to_provider: int
    to_payer: int
    to_community_pool: int


@dataclass(frozen=True, slots=True)
class AgreementSettled:
    TYPE: ClassVar[str] = "agreement_settled"
    agreement_id: int
    outcome: str
    disputed: bool
    on_time: bool
    broken: bool


@dataclass(frozen=True, slots=True)
class AgreementRated:
    TYPE: ClassVar[str] = "agreement_rated"
    agreement_id: int
    rater: str
    rated: str
    score: int
