"""Messages of the projects module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CreateProject:
    """Create a project owned by the signer, moving ``budget`` from the signer into it."""

    title: str
    description: str
    budget: int


@dataclass(frozen=True, slots=True)
class FundProject:
    """Add ``amount`` from the signer to a project's budget (anyone may)."""

    project_id: int
    amount: int


@dataclass(frozen=True, slots=True)
class WithdrawProjectBudget:
    """Move ``amount`` of uncommitted budget back to the owner."""

    project_id: int
    amount: int


@dataclass(frozen=True, slots=True)
class OfferProject:
    """Offer the project to ``to`` until block time ``expires_at``."""

    project_id: int
    to: str
    expires_at: int


@dataclass(frozen=True, slots=True)
class WithdrawProjectOffer:
    project_id: int


@dataclass(frozen=True, slots=True)
class AcceptProject:
    """Take over a project offered to the signer."""

    project_id: int
