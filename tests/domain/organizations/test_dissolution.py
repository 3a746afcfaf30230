"""The dissolution cascade (issue 12, finding 3): a dissolved organization leaves no value without an exit.

Each test ends with the exit checker (``tests/support/exits.py``) finding nothing
locked outside the community pool (whose spender is tested in
``test_community_pool.py``).
"""

from __future__ import annotations

import json

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.messages import MakeOffer, PublishStandingOffer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import LeaveOrganization, OrgMember, SweepTreasury, UpdateMembers
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.messages import (AcceptProject, CreateProject, FundProject, OfferProject,
                                               WithdrawProjectBudget)
from abci_app.chain.domain.proposals import state as proposals
from tests.domain.organizations.support import (advance, assert_ok, create_org, org, propose, send, threshold,
                                                vote)
from tests.support import exits
from tests.support.chain import TestChain
from tests.support.market import request_msg
from abci_app.chain import errors
from tests.support.rejections import assert_rejected

YES = 1
PERIOD = 100


def locked(chain) -> list:
    """Locked value apart from the community pool."""
    return [x for x in exits.locked_value(chain.state, chain.time) if x.place != "community pool"]


def decide(chain, voters, org_id: int, *actions) -> None:
    """Pass ``actions`` by every voter's yes and run them; assert the proposal executed."""
    proposal_id = propose(chain, voters[0], org_id, *actions)
    for voter in voters:
        if proposals.require(chain.state, proposal_id).status == proposals.VOTING:
            assert_ok(vote(chain, voter, proposal_id, YES))
    advance(chain, PERIOD + 30)
    done = proposals.require(chain.state, proposal_id)
    assert done.status == "executed", (done.status, done.result_codespace, done.result_code, done.result_log)


def funded_org(chain, voters, amount: int, pol=None, founder=None) -> tuple[int, str]:
    org_id = create_org(chain, founder or voters[0], {v: 1 for v in voters}, pol or threshold(len(voters)))
    treasury = orgs.treasury_address(org_id)
    if amount:
        assert_ok(send(chain, voters[0], Transfer(treasury, amount)))
    return org_id, treasury


def test_finding_3a_a_project_budget_comes_back_after_the_last_member_leaves(chain, people):
    a, b = people[:2]
    org_id, treasury = funded_org(chain, [a, b], 1_000)
    decide(chain, [a, b], org_id, CreateProject("shelter", "", 600))
    project = next(projects.all_projects(chain.state))
    assert project.owner == treasury and project.budget == 600
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    pool_before = accounts.balance(chain.state, addresses.COMMUNITY_POOL)
    result = chain.block(chain.tx(b, LeaveOrganization(org_id)))    # the last member: dissolved
    assert result.txs[0].ok
    assert projects.get(chain.state, project.id).budget == 0
    assert accounts.balance(chain.state, addresses.COMMUNITY_POOL) == pool_before + 1_000
    assert "project_budget_returned" in [e.TYPE for e in result.events]
    assert orgs.dissolving(chain.state) == [] and locked(chain) == []


def test_finding_3b_an_organization_whose_heavier_member_dissolves_can_still_decide(chain, people):
    a_member, bob, carol = people[:3]
    a_id, a_treasury = funded_org(chain, [a_member], 0, threshold(1))
    b_id = create_org(chain, bob, {bob: 1}, threshold(2), name="B")
    b_treasury = orgs.treasury_address(b_id)
    assert_ok(send(chain, bob, Transfer(b_treasury, 1_000)))
    # B admits A with weight 2: bob alone (weight 1) proposes, the cap min(2, 1) lets him pass it.
    decide(chain, [bob], b_id, UpdateMembers(b_id, (OrgMember(a_treasury, 2),)))
    assert orgs.total_weight(org(chain, b_id).members) == 3
    assert locked(chain) == []                                          # A can still act for B
    result = chain.block(chain.tx(a_member, LeaveOrganization(a_id)))  # A dissolves
    assert result.txs[0].ok
    assert [m.address for m in org(chain, b_id).members] == [bob.address]
    assert org(chain, b_id).status == orgs.ACTIVE
    assert "organization_member_removed" in [e.TYPE for e in result.events]
    assert locked(chain) == []
    decide(chain, [bob], b_id, Transfer(carol.address, 1_000))          # B's 1,000 has its exit
    assert accounts.balance(chain.state, b_treasury) == 0


def test_an_organization_whose_only_members_dissolve_dissolves_in_turn(chain, people):
    a_member = people[0]
    a_id, a_treasury = funded_org(chain, [a_member], 0, threshold(1))
    parent = create_org(chain, a_member, {a_member: 1}, threshold(1), name="parent")
    parent_treasury = orgs.treasury_address(parent)
    decide(chain, [a_member], parent, UpdateMembers(parent, (OrgMember(a_treasury, 1),)))
    decide(chain, [a_member], parent, UpdateMembers(parent, (OrgMember(a_member.address, 0),)))
    assert_ok(send(chain, a_member, Transfer(parent_treasury, 300)))
    assert_ok(send(chain, a_member, LeaveOrganization(a_id)))
    assert org(chain, parent).status == orgs.DISSOLVED
    assert accounts.balance(chain.state, parent_treasury) == 0
    assert orgs.dissolving(chain.state) == [] and locked(chain) == []


def test_open_requests_offers_and_standing_offers_of_a_dissolved_organization_close(chain, people):
    a, outsider = people[0], people[4]
    org_id, treasury = funded_org(chain, [a], 0, threshold(1))
    decide(chain, [a], org_id, request_msg(chain.time), PublishStandingOffer("repairs", "", ("fix",), 50, 86_400,
                                                                               b"", ""))
    assert_ok(send(chain, outsider, request_msg(chain.time, title="theirs")))
    theirs = max(r.id for r in market.all_requests(chain.state))
    decide(chain, [a], org_id, MakeOffer(theirs, 40, chain.time + 10 * 86_400, (), b"", ""))
    result = chain.block(chain.tx(a, LeaveOrganization(org_id)))
    kinds = [e.TYPE for e in result.events]
    assert "request_closed" in kinds and "offer_closed" in kinds and "standing_offer_withdrawn" in kinds
    assert [r.status.value for r in market.all_requests(chain.state)] == ["withdrawn", "open"]
    assert [o.status.value for o in market.all_offers(chain.state)] == ["withdrawn"]
    assert not any(s.open for s in market.all_standing(chain.state))


def dissolve_with_offered_project(chain, member, successor, offer_seconds: int) -> tuple[int, str]:
    """An organization of ``member`` creates project 1 (600), offers it to ``successor``, then dissolves."""
    org_id, treasury = funded_org(chain, [member], 1_000, threshold(1))
    decide(chain, [member], org_id, CreateProject("shelter", "", 600))
    decide(chain, [member], org_id, OfferProject(1, successor.address, chain.time + offer_seconds))
    assert_ok(send(chain, member, LeaveOrganization(org_id)))
    return org_id, treasury


def test_a_project_offered_to_a_successor_waits_for_it_and_the_successor_takes_the_budget(chain, people):
    a, successor = people[0], people[1]
    dissolve_with_offered_project(chain, a, successor, 10_000)
    assert projects.get(chain.state, 1).budget == 600 and locked(chain) == []
    assert_ok(send(chain, successor, AcceptProject(1)))
    assert_ok(send(chain, successor, WithdrawProjectBudget(1, 600)))
    assert locked(chain) == []


def test_a_project_offer_left_unaccepted_returns_the_budget_when_it_expires(chain, people):
    a, successor = people[0], people[1]
    org_id, treasury = dissolve_with_offered_project(chain, a, successor, 1_000)
    advance(chain, 2_000)
    assert projects.get(chain.state, 1).budget == 0 and accounts.balance(chain.state, treasury) == 600
    assert locked(chain) == []
    assert_ok(send(chain, a, SweepTreasury(org_id)))


def test_nobody_can_fund_a_project_of_a_dissolved_organization(chain, people):
    a, outsider = people[0], people[4]
    org_id, _ = funded_org(chain, [a], 1_000, threshold(1))
    decide(chain, [a], org_id, CreateProject("shelter", "", 600))
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    assert_rejected(send(chain, outsider, FundProject(1, 5)), errors.OrganizationDissolved)


def test_the_cascade_does_at_most_max_due_per_block_steps_a_block(tmp_path, people):
    a = people[0]
    chain = TestChain(tmp_path / "db", balances={p: 100_000 for p in people}, params=None,
                      extra_genesis={"market": {"max_due_per_block": 2}})
    try:
        org_id, _ = funded_org(chain, [a], 1_000, threshold(1))
        decide(chain, [a], org_id, *(CreateProject(f"p{i}", "", 100) for i in range(5)))
        result = chain.block(chain.tx(a, LeaveOrganization(org_id)))
        returned = [e for e in result.events if e.TYPE == "project_budget_returned"]
        assert [e.project_id for e in returned] == [1, 2]
        assert orgs.dissolving(chain.state) == [org_id]
        assert json.loads(chain.app.query("/org/dissolving", b"").value) == [org_id]   # honest: still queued
        assert locked(chain) == []     # what the cascade has yet to return has its exit: the cascade
        steps = [len([e for e in advance(chain, 5).events if e.TYPE.startswith(("project_budget", "organization_d"))])
                 for _ in range(3)]
        assert steps == [2, 2, 0]
        assert orgs.dissolving(chain.state) == [] and locked(chain) == []
    finally:
        chain.close()


def test_the_last_person_of_the_network_organization_cannot_leave_it(netchain, people):
    v = people[0]
    assert_rejected(send(netchain, v, LeaveOrganization(1)), errors.NetworkOrganizationPermanent)
    other = create_org(netchain, v, {v: 1}, threshold(1), name="other")
    decide(netchain, [v], 1, UpdateMembers(1, (OrgMember(orgs.treasury_address(other), 1),)))
    assert_rejected(send(netchain, v, LeaveOrganization(1)), errors.NetworkOrganizationPermanent)
    assert org(netchain, 1).status == orgs.ACTIVE
