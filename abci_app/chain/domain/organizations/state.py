"""Typed state access for organizations and their fee allowances.

An organization's members live inside its record, sorted by address (at most
``MAX_MEMBERS``), so a proposal can snapshot them in one read.  ``put`` also
keeps the reverse index (member -> organizations), which the dissolution cascade
uses to remove a dissolved organization from the organizations it belonged to.  Ids come from a
counter starting at 1; the treasury address is a pure function of the id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from abci_app.chain import addresses, codec
from abci_app.chain.domain.organizations import keys
from abci_app.chain.domain.organizations.messages import OrgMember, OrgPolicy
from abci_app.chain.errors import NotTheOrganization, OrganizationDissolved, OrganizationNotFound
from abci_app.chain.state.protocols import StateRead, StateWrite

ACTIVE = "active"
DISSOLVED = "dissolved"
MAX_MEMBERS = 100
MAX_WEIGHT = 10**12


@dataclass(frozen=True, slots=True)
class Organization:
    id: int
    name: str
    purpose: str
    treasury: str
    members: tuple[OrgMember, ...]   # sorted by address, every weight > 0
    policy: OrgPolicy
    status: str                      # ACTIVE or DISSOLVED
    created_at: int
    dissolved_at: int = 0


@dataclass(frozen=True, slots=True)
class Allowance:
    org_id: int
    grantee: str
    limit: int
    spent: int
    expires_at: int


def treasury_address(org_id: int) -> str:
    """Return the keyless treasury address of organization ``org_id``."""
    return addresses.module(f"org/{org_id}")


def total_weight(members: tuple[OrgMember, ...]) -> int:
    return sum(m.weight for m in members)


def weight_of(members: tuple[OrgMember, ...], address: str) -> int:
    """Return ``address``'s weight among ``members`` (0 if absent)."""
    for member in members:
        if member.address == address:
            return member.weight
    return 0


def get(state: StateRead, org_id: int) -> Organization | None:
    raw = state.get(keys.organization(org_id))
    return None if raw is None else codec.decode_value(Organization, raw)


def require(state: StateRead, org_id: int) -> Organization:
    org = get(state, org_id)
    if org is None:
        raise OrganizationNotFound(f"organization {org_id} not found")
    return org


def require_active(state: StateRead, org_id: int) -> Organization:
    org = require(state, org_id)
    if org.status != ACTIVE:
        raise OrganizationDissolved(f"organization {org_id} is dissolved")
    return org


def require_active_status(state: StateRead, org_id: int) -> None:
    """``require_active`` without decoding the record (whose size grows with the members): reads the status key.

    A state written before the status key existed (``keys.status``) falls back to the record.
    """
    raw = state.get(keys.status(org_id))
    if raw is None:
        require_active(state, org_id)
    elif raw != ACTIVE.encode():
        raise OrganizationDissolved(f"organization {org_id} is dissolved")


def require_self(state: StateRead, org_id: int, signer: str) -> Organization:
    """Return the active organization if ``signer`` is its treasury (a passed proposal acting)."""
    org = require_active(state, org_id)
    if signer != org.treasury:
        raise NotTheOrganization(f"only organization {org_id} itself, through a passed proposal, may do this")
    return org


def put(state: StateWrite, org: Organization) -> None:
    """Store ``org`` and keep the membership index (``keys.memberships``) equal to its members."""
    old = get(state, org.id)
    before = {m.address for m in old.members} if old is not None else set()
    after = {m.address for m in org.members}
    for address in sorted(before - after):
        state.delete(keys.membership(address, org.id))
    for address in sorted(after - before):
        state.put(keys.membership(address, org.id), b"")
    state.put(keys.organization(org.id), codec.encode_value(org))
    if old is None or old.status != org.status:
        state.put(keys.status(org.id), org.status.encode())


def first_membership(state: StateRead, member: str) -> int | None:
    """Return the lowest id of an organization ``member`` belongs to."""
    prefix = keys.memberships(member)
    for key, _ in state.iter_prefix(prefix):
        return int(key[len(prefix):])
    return None


def memberships(state: StateRead, member: str) -> list[int]:
    prefix = keys.memberships(member)
    return [int(key[len(prefix):]) for key, _ in state.iter_prefix(prefix)]


def mark_dissolved(state: StateWrite, org: Organization, time: int) -> Organization:
    """Store ``org`` as dissolved with no members and queue its dissolution cascade."""
    done = replace(org, members=(), status=DISSOLVED, dissolved_at=time)
    put(state, done)
    raw = state.get(keys.DISSOLVING_SEQ)
    seq = 0 if raw is None else int(raw)
    state.put(keys.dissolving(seq), b"%d" % org.id)
    state.put(keys.DISSOLVING_SEQ, b"%d" % (seq + 1))
    return done


def first_dissolving(state: StateRead) -> tuple[bytes, int] | None:
    """Return ``(queue key, org id)`` of the oldest organization whose cascade is not finished."""
    for key, raw in state.iter_prefix(keys.DISSOLVING_PREFIX):
        return bytes(key), int(raw)
    return None


def dissolving(state: StateRead) -> list[int]:
    """Ids of the organizations whose cascade is still queued, oldest first."""
    return [int(raw) for _, raw in state.iter_prefix(keys.DISSOLVING_PREFIX)]


def create(state: StateWrite, org: Organization) -> None:
    put(state, org)
    state.put(keys.treasury(org.treasury), b"%d" % org.id)
    state.put(keys.NEXT_ID, b"%d" % (org.id + 1))


def next_id(state: StateRead) -> int:
    raw = state.get(keys.NEXT_ID)
    return 1 if raw is None else int(raw)


def by_treasury(state: StateRead, address: str) -> int | None:
    raw = state.get(keys.treasury(address))
    return None if raw is None else int(raw)


def with_members(org: Organization, members: tuple[OrgMember, ...]) -> Organization:
    return replace(org, members=tuple(sorted(members, key=lambda m: m.address)))


def all_organizations(state: StateRead) -> Iterator[Organization]:
    for _, raw in state.iter_prefix(keys.ORG_PREFIX):
        yield codec.decode_value(Organization, raw)


# -- fee allowances ----------------------------------------------------------------------


def allowance(state: StateRead, org_id: int, grantee: str) -> Allowance | None:
    raw = state.get(keys.allowance(org_id, grantee))
    return None if raw is None else codec.decode_value(Allowance, raw)


def put_allowance(state: StateWrite, item: Allowance) -> None:
    state.put(keys.allowance(item.org_id, item.grantee), codec.encode_value(item))


def delete_allowance(state: StateWrite, org_id: int, grantee: str) -> None:
    state.delete(keys.allowance(org_id, grantee))


def allowances(state: StateRead, org_id: int) -> Iterator[Allowance]:
    for _, raw in state.iter_prefix(keys.allowances(org_id)):
        yield codec.decode_value(Allowance, raw)
