"""Delegated votes: who votes for whom in an organization, and a proposal's delegation snapshot."""

from __future__ import annotations

from typing import Iterable

import strawberry
from strawberry.types import Info

from abci_app.chain.domain.delegation import state as delegations
from abci_app.chain.domain.delegation.handlers import MAX_PER_MEMBER
from abci_app.chain.domain.organizations import state as orgs
from graphql_api.types.common import BigInt, BlockHeight, int_id, state_height


# every delegation an organization can hold: never truncated
MAX_LISTED = orgs.MAX_MEMBERS * MAX_PER_MEMBER


@strawberry.type(name="Delegation")
class Delegation:
    organization: str
    delegator: str
    delegate: str
    tag: str = strawberry.field(description="empty: every proposal; else only proposals with this tag")
    since: int


@strawberry.type(name="DelegationPath")
class DelegationPath:
    voter: str
    weight: BigInt
    via: list[str] = strawberry.field(description="the members the voter's weight goes to, in order")


@strawberry.type(name="DelegationSnapshot")
class DelegationSnapshot:
    proposal: str
    tags: list[str]
    paths: list[DelegationPath]
    direct_yes: BigInt
    direct_no: BigInt
    direct_abstain: BigInt


def _delegation(d: delegations.Delegation) -> Delegation:
    return Delegation(organization=str(d.org_id), delegator=d.delegator, delegate=d.delegate, tag=d.tag, since=d.since)


@strawberry.type
class DelegationQueries:
    @strawberry.field(description="Who votes for whom in an organization: the delegations a member gave (or, with "
                                  "backers, received); without address every delegation of the organization "
                                  "(by delegator); tag: only those for that tag (\"\" = the general ones)")
    def delegations(self, info: Info, organization: str, address: str | None = None, backers: bool = False,
                    tag: str | None = None, block: BlockHeight | None = None) -> list[Delegation]:
        info.context.check_deadline()
        org_id = int_id(organization, "an organization") or 0
        with info.context.read() as reader:
            state = reader.state_at(state_height(reader, block))
            if address is None:
                found: Iterable[delegations.Delegation] = delegations.of_org(state, org_id)
            elif backers:
                found = delegations.backers(state, org_id, address)
            else:
                found = delegations.of_delegator(state, org_id, address)
            chosen = (d for d in found if tag in (None, d.tag))
            return [_delegation(d) for _, d in zip(range(MAX_LISTED), chosen)]

    @strawberry.field(description="A proposal's delegation snapshot (null: no tags and nobody delegated)")
    def delegation_snapshot(self, info: Info, proposal: str,
                            block: BlockHeight | None = None) -> DelegationSnapshot | None:
        info.context.check_deadline()
        with info.context.read() as reader:
            state = reader.state_at(state_height(reader, block))
            snap = delegations.get_snapshot(state, int_id(proposal, "a proposal") or 0)
            if snap is None:
                return None
            direct = delegations.get_direct(state, snap.proposal_id)
        return DelegationSnapshot(proposal=str(snap.proposal_id), tags=list(snap.tags),
                                  paths=[DelegationPath(voter=p.voter, weight=p.weight, via=list(p.via))
                                         for p in snap.paths],
                                  direct_yes=direct.yes, direct_no=direct.no, direct_abstain=direct.abstain)
