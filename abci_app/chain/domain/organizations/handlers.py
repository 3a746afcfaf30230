"""Handlers of the organizations module: create, leave, update members or policy, sweep.

Authorization: anyone may create an organization or sweep a dissolved one; only a
member may leave; ``UpdateMembers``/``UpdatePolicy`` only from the organization's
treasury address, which only a passed proposal can act as.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.handlers import check_text
from abci_app.chain.domain.organizations import dissolution, events, state as orgs
from abci_app.chain.domain.suborgs import state as suborgs
from abci_app.chain.domain.validators import state as vals
from abci_app.chain.domain.organizations.messages import (BASIS_POINTS, PERCENTAGE, POLICY_KINDS, CreateOrganization,
                                                    LeaveOrganization, OrgMember, OrgPolicy, SweepTreasury,
                                                    UpdateMembers, UpdatePolicy)
from abci_app.chain.errors import (InvalidMembers, InvalidName, InvalidPolicy, NetworkOrganizationPermanent, NotAMember,
                             NothingToSweep, OrganizationActive)
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite

MAX_PERIOD = 366 * 24 * 3600   # longest voting period or execution delay, in seconds


# -- pure rules ---------------------------------------------------------------------------


def check_members(members: tuple[OrgMember, ...], allow_zero: bool = False) -> None:
    """Reject an empty, oversized or duplicated member list, bad addresses and weights out of range."""
    if not members or len(members) > orgs.MAX_MEMBERS:
        raise InvalidMembers(f"between 1 and {orgs.MAX_MEMBERS} members required, got {len(members)}")
    seen = set()
    for member in members:
        addresses.validate(member.address, "member address")
        if member.address in seen:
            raise InvalidMembers(f"member {member.address} is listed twice")
        seen.add(member.address)
        low = 0 if allow_zero else 1
        if not low <= member.weight <= orgs.MAX_WEIGHT:
            raise InvalidMembers(f"weight of {member.address} must be in [{low}, {orgs.MAX_WEIGHT}], got {member.weight}")


def check_policy(policy: OrgPolicy) -> None:
    """Reject unknown kinds, zero thresholds, percentages above 100% and periods out of range."""
    if policy.kind not in POLICY_KINDS:
        raise InvalidPolicy(f"policy kind must be 1 (threshold), 2 (percentage) or 3 (lazy consensus), got {policy.kind}")
    top = BASIS_POINTS if policy.kind == PERCENTAGE else orgs.MAX_WEIGHT * orgs.MAX_MEMBERS
    if not 1 <= policy.threshold <= top:
        raise InvalidPolicy(f"policy threshold must be in [1, {top}], got {policy.threshold}")
    if not 1 <= policy.voting_period <= MAX_PERIOD:
        raise InvalidPolicy(f"voting period must be in [1, {MAX_PERIOD}] seconds, got {policy.voting_period}")
    if not 0 <= policy.min_delay <= MAX_PERIOD:
        raise InvalidPolicy(f"minimum delay must be in [0, {MAX_PERIOD}] seconds, got {policy.min_delay}")


def _check_not_self(org_id: int, members: tuple[OrgMember, ...]) -> None:
    treasury = orgs.treasury_address(org_id)
    if any(m.address == treasury for m in members):
        raise InvalidMembers(f"organization {org_id} cannot be a member of itself")


# -- CreateOrganization -------------------------------------------------------------------


def check_stateless_create(msg: CreateOrganization, ctx: TxContext) -> None:
    if not msg.name.strip():
        raise InvalidName("organization name must not be empty")
    check_text(msg.name, ctx.params.max_memo_bytes, "organization name")
    check_text(msg.purpose, ctx.params.max_text_bytes, "organization purpose")
    check_members(msg.members)
    check_policy(msg.policy)


def check_and_execute_create(state: StateWrite, block: BlockInfo, ctx: TxContext,
                             msg: CreateOrganization) -> list[object]:
    """Create the organization with the next id; its treasury starts empty."""
    org_id = orgs.next_id(state)
    _check_not_self(org_id, msg.members)
    org = orgs.with_members(orgs.Organization(org_id, msg.name, msg.purpose, orgs.treasury_address(org_id), (),
                                              msg.policy, orgs.ACTIVE, block.time), msg.members)
    orgs.create(state, org)
    return [events.OrganizationCreated(org_id, org.treasury, org.name, ctx.signer, orgs.total_weight(org.members))]


# -- LeaveOrganization --------------------------------------------------------------------


def check_stateless_leave(msg: LeaveOrganization, ctx: TxContext) -> None:
    """Nothing to check without state."""


def check_and_execute_leave(state: StateWrite, block: BlockInfo, ctx: TxContext,
                            msg: LeaveOrganization) -> list[object]:
    """Remove the signer; pay the exit share if granted; dissolve when the last member leaves.

    Exit share = treasury balance * weight // total weight (so the last member with
    an exit right takes everything).  On dissolution whatever the treasury still
    holds goes to the community pool, so no value is left without an owner, and
    the dissolution cascade is queued (``dissolution``).  The last person of the
    network organization may not leave (``NetworkOrganizationPermanent``).
    """
    org = orgs.require_active(state, msg.org_id)
    weight = orgs.weight_of(org.members, ctx.signer)
    if weight == 0:
        raise NotAMember(f"{ctx.signer} is not a member of organization {org.id}")
    share = 0
    if org.policy.exit_right:
        share = accounts.balance(state, org.treasury) * weight // orgs.total_weight(org.members)
        if share:
            accounts.move(state, org.treasury, ctx.signer, share, "treasury")
    remaining = tuple(m for m in org.members if m.address != ctx.signer)
    _check_network_keeps_a_person(state, org.id, remaining)
    out: list[object] = [events.MemberLeft(org.id, ctx.signer, weight, share)]
    if remaining:
        orgs.put(state, replace(org, members=remaining))
        return out
    return out + dissolution.dissolve(state, block, org)


def _check_network_keeps_a_person(state: StateRead, org_id: int, members: tuple[OrgMember, ...]) -> None:
    """The network organization never dissolves: it keeps at least one member that is not an organization.

    It alone spends the community pool and changes the validator set, so without
    it both would be locked for good; and because its members are never all
    organizations, the dissolution cascade can never empty it either.
    """
    if org_id != vals.network_org(state):
        return
    if not any(orgs.by_treasury(state, m.address) is None for m in members):
        raise NetworkOrganizationPermanent(f"organization {org_id} is the network organization: it must keep at "
                                           f"least one member that is not an organization")


# -- UpdateMembers / UpdatePolicy (organization only) ---------------------------------------


def check_stateless_update_members(msg: UpdateMembers, ctx: TxContext) -> None:
    check_members(msg.members, allow_zero=True)


def check_and_execute_update_members(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                     msg: UpdateMembers) -> list[object]:
    """Set the listed weights (0 removes); at least one member must remain (leaving is the only way out)."""
    org = orgs.require_self(state, msg.org_id, ctx.signer)
    _check_not_self(org.id, msg.members)
    weights = {m.address: m.weight for m in org.members}
    for member in msg.members:
        weights[member.address] = member.weight
    members = tuple(OrgMember(a, w) for a, w in sorted(weights.items()) if w > 0)
    if not members or len(members) > orgs.MAX_MEMBERS:
        raise InvalidMembers(f"an organization keeps between 1 and {orgs.MAX_MEMBERS} members, this leaves {len(members)}")
    _check_network_keeps_a_person(state, org.id, members)
    orgs.put(state, replace(org, members=members))
    return [events.MembersUpdated(org.id, len(members), orgs.total_weight(members))]


def check_stateless_update_policy(msg: UpdatePolicy, ctx: TxContext) -> None:
    check_policy(msg.policy)


def check_and_execute_update_policy(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                    msg: UpdatePolicy) -> list[object]:
    """Replace the policy; proposals already submitted keep the policy they were submitted under."""
    org = orgs.require_self(state, msg.org_id, ctx.signer)
    orgs.put(state, replace(org, policy=msg.policy))
    return [events.PolicyUpdated(org.id, msg.policy.kind, msg.policy.threshold)]


# -- SweepTreasury (anyone) ---------------------------------------------------------------


def check_stateless_sweep(msg: SweepTreasury, ctx: TxContext) -> None:
    """Nothing to check without state."""


def check_and_execute_sweep(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: SweepTreasury) -> list[object]:
    """Move what reached a dissolved organization's treasury (refunds, late payments) to the community pool."""
    org = orgs.require(state, msg.org_id)
    if org.status == orgs.ACTIVE:
        raise OrganizationActive(f"organization {org.id} is active; its members decide over its treasury")
    returned = suborgs.return_to_parent(state, org)
    amount = dissolution.sweep(state, org.treasury)
    if amount == 0 and not returned:
        raise NothingToSweep(f"treasury of dissolved organization {org.id} is empty")
    return [events.TreasurySwept(org.id, amount), *returned]
