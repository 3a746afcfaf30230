"""Messages of the organizations module.

``UpdateMembers``, ``UpdatePolicy``, ``GrantFeeAllowance`` and ``RevokeFeeAllowance``
are accepted only from the organization's own treasury address, i.e. as actions
of a passed proposal.  Policy kinds are plain integers (not enums) so an unknown
value on the wire is a clean rejection, never a decoding crash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 1     # passes when yes-weight >= threshold (capped at the snapshot's total weight)
PERCENTAGE = 2    # passes when yes-weight >= threshold basis points of the snapshot's total weight
LAZY = 3          # passes at the end of the window unless no-weight >= threshold (capped at total)
POLICY_KINDS = (THRESHOLD, PERCENTAGE, LAZY)
BASIS_POINTS = 10_000


@dataclass(frozen=True, slots=True)
class OrgMember:
    address: str = ""
    weight: int = 0


@dataclass(frozen=True, slots=True)
class OrgPolicy:
    kind: int = 0
    threshold: int = 0
    voting_period: int = 0   # seconds
    min_delay: int = 0       # seconds from passing to execution
    exit_right: bool = False


@dataclass(frozen=True, slots=True)
class CreateOrganization:
    """Found an organization; the signer need not be a member."""

    name: str
    purpose: str
    members: tuple[OrgMember, ...]
    policy: OrgPolicy = field(default_factory=OrgPolicy)


@dataclass(frozen=True, slots=True)
class LeaveOrganization:
    """Leave as a member (with the exit share if the policy grants one)."""

    org_id: int


@dataclass(frozen=True, slots=True)
class UpdateMembers:
    """Set member weights (0 removes); organization only."""

    org_id: int
    members: tuple[OrgMember, ...]


@dataclass(frozen=True, slots=True)
class UpdatePolicy:
    """Replace the decision policy; organization only."""

    org_id: int
    policy: OrgPolicy


@dataclass(frozen=True, slots=True)
class GrantFeeAllowance:
    """Let ``grantee`` name the treasury as fee payer up to ``limit`` before ``expires_at``; organization only."""

    org_id: int
    grantee: str
    limit: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class RevokeFeeAllowance:
    org_id: int
    grantee: str


@dataclass(frozen=True, slots=True)
class SweepTreasury:
    """Anyone: move a dissolved organization's treasury balance to the community pool."""

    org_id: int
