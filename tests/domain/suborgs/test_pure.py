"""Sub-organization handlers, pure: create, veto and the parent's rights against a ``Delta`` over an in-memory base."""

from __future__ import annotations

from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import keys as org_keys
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import OrgMember
from abci_app.chain.domain.proposals import keys as proposal_keys
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import SubmitProposal
from abci_app.chain.domain.suborgs import errors as suborg_errors
from abci_app.chain.domain.suborgs import keys as suborg_keys
from abci_app.chain.domain.suborgs.messages import CreateSubOrganization, DissolveSubOrganization, VetoProposal
from tests.domain.organizations.support import pure_funded_org, threshold
from tests.support.chain import key
from tests.support.pure import PureChain

ANN, BO, CAS = key(1), key(2), key(3)
VETO_WINDOW = 200            # longer than the parent's decision time (voting period 100 + delay 20)


def parent_org(world: PureChain) -> orgs.Organization:
    """ANN and BO's organization, its treasury holding 500."""
    return pure_funded_org(world, ANN, (ANN, BO), 500)


def child_of(world: PureChain, parent: orgs.Organization, budget: int = 100) -> orgs.Organization:
    child_id = orgs.next_id(world.state)
    world.run(parent.treasury, CreateSubOrganization(parent.id, "Kitchen", "", (OrgMember(CAS.address, 1),),
                                                     threshold(1), budget, VETO_WINDOW))
    return orgs.require(world.state, child_id)


def child_proposal(world: PureChain) -> tuple[orgs.Organization, orgs.Organization, int]:
    """A parent, its child (CAS alone) and the id of a proposal of the child, still voting."""
    parent = parent_org(world)
    child = child_of(world, parent)
    pid = proposals.next_id(world.state)
    world.run(CAS, SubmitProposal(child.id, "spend", "", (Transfer(CAS.address, 10),)))
    return parent, child, pid


def test_creating_a_sub_organization_links_it_to_its_parent_and_moves_the_budget():
    world = PureChain({ANN: 1_000})
    parent = parent_org(world)
    child_id = orgs.next_id(world.state)
    changed = world.changes(parent.treasury, CreateSubOrganization(
        parent.id, "Kitchen", "", (OrgMember(CAS.address, 1),), threshold(1), 100, VETO_WINDOW))
    child = orgs.require(world.state, child_id)
    outside_org = {k for k in changed if not k.startswith(org_keys.PREFIX)}
    assert outside_org == {suborg_keys.link(child_id), suborg_keys.child(parent.id, child_id),
                           account_keys.account(parent.treasury), account_keys.account(child.treasury)}
    assert org_keys.organization(child_id) in changed
    assert accounts.balance(world.state, child.treasury) == 100
    assert accounts.balance(world.state, parent.treasury) == 400


def test_the_parent_vetoes_a_voting_proposal_of_its_child_which_leaves_the_voting_queue():
    world = PureChain({ANN: 1_000, CAS: 1_000})
    parent, child, pid = child_proposal(world)
    voting_end = proposals.get(world.state, pid).voting_end
    changed = world.changes(parent.treasury, VetoProposal(pid, "not now"))
    queued = proposal_keys.timed(proposal_keys.VOTING_ENDS, voting_end, pid)
    assert set(changed) == {proposal_keys.proposal(pid), queued}
    assert changed[queued] is None
    assert proposals.get(world.state, pid).status == proposals.VETOED
    world.rejects(parent.treasury, VetoProposal(pid, "again"), suborg_errors.VetoClosed)


def test_only_the_parent_may_veto_or_dissolve_and_an_ordinary_organization_has_no_parent():
    world = PureChain({ANN: 1_000, CAS: 1_000})
    parent, child, pid = child_proposal(world)
    world.rejects(ANN, VetoProposal(pid), suborg_errors.NotTheParent)
    world.rejects(child.treasury, DissolveSubOrganization(child.id), suborg_errors.NotTheParent)
    world.rejects(parent.treasury, DissolveSubOrganization(parent.id), suborg_errors.NotASubOrganization)


def test_a_veto_window_shorter_than_the_parents_decision_time_is_rejected():
    world = PureChain({ANN: 1_000})
    parent = parent_org(world)
    msg = CreateSubOrganization(parent.id, "Kitchen", "", (OrgMember(CAS.address, 1),), threshold(1), 0, 119)
    world.rejects(parent.treasury, msg, suborg_errors.InvalidSubOrganization)
