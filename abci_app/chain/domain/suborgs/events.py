"""Typed events of the sub-organizations module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class SubOrganizationCreated:
    TYPE: ClassVar[str] = "suborganization_created"
    parent_id: int
    org_id: int
    treasury: str
    budget: int
    veto_window: int


@dataclass(frozen=True, slots=True)
class ProposalVetoed:
    TYPE: ClassVar[str] = "proposal_vetoed"
    proposal_id: int
    org_id: int
    parent_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class ValueReturnedToParent:
    """A dissolved child's treasury went to its parent (at dissolution, at the end of its cascade, or swept)."""

    TYPE: ClassVar[str] = "suborganization_value_returned"
    org_id: int
    parent_id: int
    amount: int
