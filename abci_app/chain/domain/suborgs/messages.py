"""Messages of the sub-organizations module (proto fields 128-130 of ``Action``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from abci_app.chain.domain.organizations.messages import OrgMember, OrgPolicy


@dataclass(frozen=True, slots=True)
class CreateSubOrganization:
    """Parent only (by proposal): found a child organization and move ``budget`` from the parent's treasury to it.

    The child's proposals wait at least ``veto_window`` seconds between passing and running, during which the
    parent may veto them; ``veto_window`` must cover the parent's own decision time."""

    org_id: int                       # the parent
    name: str
    purpose: str
    members: tuple[OrgMember, ...]
    policy: OrgPolicy = field(default_factory=OrgPolicy)
    budget: int = 0
    veto_window: int = 0              # seconds


@dataclass(frozen=True, slots=True)
class VetoProposal:
    """Parent only (by proposal): stop a child's proposal that has not run yet."""

    proposal_id: int
    reason: str = ""


@dataclass(frozen=True, slots=True)
class DissolveSubOrganization:
    """Parent only (by proposal): dissolve the child; its treasury (and later what its cascade returns) goes to the
    parent."""

    org_id: int                       # the child
