"""Typed events of the organizations module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class OrganizationCreated:
    TYPE: ClassVar[str] = "organization_created"
    org_id: int
    treasury: str
    name: str
    founder: str
    total_weight: int


@dataclass(frozen=True, slots=True)
class MembersUpdated:
    TYPE: ClassVar[str] = "organization_members_updated"
    org_id: int
    members: int
    total_weight: int


@dataclass(frozen=True, slots=True)
class PolicyUpdated:
    TYPE: ClassVar[str] = "organization_policy_updated"
    org_id: int
    kind: int
    threshold: int


@dataclass(frozen=True, slots=True)
class MemberLeft:
    TYPE: ClassVar[str] = "organization_member_left"
    org_id: int
    member: str
    weight: int
    exit_share: int


@dataclass(frozen=True, slots=True)
class OrganizationDissolved:
    TYPE: ClassVar[str] = "organization_dissolved"
    org_id: int
    to_community_pool: int


@dataclass(frozen=True, slots=True)
class TreasurySwept:
    TYPE: ClassVar[str] = "organization_treasury_swept"
    org_id: int
    amount: int


@dataclass(frozen=True, slots=True)
class FeeAllowanceGranted:
    TYPE: ClassVar[str] = "fee_allowance_granted"
    org_id: int
    grantee: str
    limit: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class FeeAllowanceRevoked:
    TYPE: ClassVar[str] = "fee_allowance_revoked"
    org_id: int
    grantee: str


@dataclass(frozen=True, slots=True)
class MemberRemoved:
    """A dissolved organization was removed from an organization it belonged to (dissolution cascade)."""

    TYPE: ClassVar[str] = "organization_member_removed"
    org_id: int
    member: str
    weight: int
    total_weight: int     # what remains


@dataclass(frozen=True, slots=True)
class DissolutionCompleted:
    """The cascade of a dissolved organization is done; what came back to its treasury went to the pool."""

    TYPE: ClassVar[str] = "organization_dissolution_completed"
    org_id: int
    to_community_pool: int
