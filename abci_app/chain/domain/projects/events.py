"""Typed events of the projects module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class ProjectCreated:
    TYPE: ClassVar[str] = "project_created"
    project_id: int
    owner: str
    budget: int


@dataclass(frozen=True, slots=True)
class ProjectBudgetChanged:
    TYPE: ClassVar[str] = "project_budget_changed"
    project_id: int
    by: str
    delta: int
    budget: int


@dataclass(frozen=True, slots=True)
class ProjectOffered:
    TYPE: ClassVar[str] = "project_offered"
    project_id: int
    source: str
    target: str
    expires_at: int


@dataclass(frozen=True, slots=True)
class ProjectOfferClosed:
    TYPE: ClassVar[str] = "project_offer_closed"
    project_id: int
    reason: str   # withdrawn, expired


@dataclass(frozen=True, slots=True)
class ProjectTransferred:
    TYPE: ClassVar[str] = "project_transferred"
    project_id: int
    source: str
    target: str
    budget: int
    requests: int
    agreements: int
    documents: int


@dataclass(frozen=True, slots=True)
class ProjectBudgetReturned:
    """The budget of a dissolved organization's project went back to its treasury (dissolution cascade)."""

    TYPE: ClassVar[str] = "project_budget_returned"
    project_id: int
    to: str
    amount: int
