"""Delegation handlers, pure: lending a vote against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain.domain.delegation import errors as delegation_errors
from abci_app.chain.domain.delegation import state as delegation
from abci_app.chain.domain.delegation.messages import DelegateVote, RevokeDelegation
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import CreateOrganization, OrgMember
from tests.domain.organizations.support import threshold
from tests.support.chain import key
from tests.support.pure import PureChain

ANN, BEN, CAS = key(1), key(2), key(3)


def coop(world: PureChain) -> int:
    org_id = orgs.next_id(world.state)
    members = tuple(OrgMember(k.address, 1) for k in (ANN, BEN, CAS))
    world.run(ANN, CreateOrganization("Coop", "", members, threshold(2)))
    return org_id


def test_a_delegation_is_recorded_with_its_tag_and_revoked_once():
    world = PureChain({ANN: 100})
    org_id = coop(world)
    world.run(ANN, DelegateVote(org_id, BEN.address, "finance"))
    assert delegation.get(world.state, org_id, ANN.address, "finance").delegate == BEN.address
    world.run(ANN, RevokeDelegation(org_id, "finance"))
    assert delegation.get(world.state, org_id, ANN.address, "finance") is None
    world.rejects(ANN, RevokeDelegation(org_id, "finance"), delegation_errors.NoDelegation)


def test_a_cycle_and_a_delegate_outside_the_organization_are_rejected():
    world = PureChain({ANN: 100})
    org_id = coop(world)
    world.run(ANN, DelegateVote(org_id, BEN.address))
    world.run(BEN, DelegateVote(org_id, CAS.address))
    world.rejects(CAS, DelegateVote(org_id, ANN.address), delegation_errors.DelegationCycle)
    world.rejects(ANN, DelegateVote(org_id, key(99).address), delegation_errors.InvalidDelegation)
