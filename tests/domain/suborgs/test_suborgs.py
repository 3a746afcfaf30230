"""Sub-organizations through the real state machine: create with a budget, veto within the window, dissolve."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import LeaveOrganization, OrgMember, SweepTreasury
from abci_app.chain.domain.projects.messages import CreateProject
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.suborgs import state as suborgs
from abci_app.chain.domain.suborgs.messages import CreateSubOrganization, DissolveSubOrganization, VetoProposal
from tests.domain.organizations.support import assert_ok, send, threshold
from tests.support.chain import TestChain, key
from tests.support.exits import locked_value
from tests.support.org_tools import decide, quick_org
from abci_app.chain.domain.suborgs import errors as suborgs_errors
from tests.support.rejections import assert_rejected

ANN, BEN, NEL = key(141), key(142), key(143)
WINDOW = 600


@pytest.fixture()
def chain(tmp_path):
    c = TestChain(tmp_path / "db", balances={ANN: 10_000, BEN: 100, NEL: 100})
    c.block()
    yield c
    c.close()


@pytest.fixture()
def family(chain):
    parent = quick_org(chain, ANN, {ANN: 1}, funds=5_000)
    child = orgs.next_id(chain.state)
    create = CreateSubOrganization(parent, "Buurt Noord", "the neighbourhood", (OrgMember(NEL.address, 1),),
                                   threshold(1, min_delay=0), 1_200, WINDOW)
    assert decide(chain, ANN, parent, create).status == proposals.EXECUTED
    return parent, child


def balance(chain, org_id: int) -> int:
    return accounts.balance(chain.state, orgs.treasury_address(org_id))


def child_proposal(chain, child: int, *actions) -> int:
    pid = proposals.next_id(chain.state)
    chain.block(chain.tx(NEL, SubmitProposal(child, "spend", "", tuple(actions))), chain.tx(NEL, Vote(pid, YES)))
    return pid


def test_the_child_gets_its_budget_and_its_proposals_wait_out_the_veto_window(chain, family):
    parent, child = family
    assert (balance(chain, parent), balance(chain, child)) == (3_800, 1_200)
    assert suborgs.get(chain.state, child).parent_id == parent
    pid = child_proposal(chain, child, Transfer(NEL.address, 100))
    found = proposals.require(chain.state, pid)
    assert found.status == proposals.PASSED and found.execute_after == found.decided_at + WINDOW
    chain.block(time=found.execute_after)
    assert proposals.require(chain.state, pid).status == proposals.EXECUTED


def test_a_vetoed_proposal_never_executes(chain, family):
    parent, child = family
    pid = child_proposal(chain, child, Transfer(NEL.address, 500))
    assert decide(chain, ANN, parent, VetoProposal(pid, "not now")).status == proposals.EXECUTED
    chain.block(time=chain.time + 2 * WINDOW)
    assert proposals.require(chain.state, pid).status == proposals.VETOED
    assert balance(chain, child) == 1_200
    assert_rejected(send(chain, NEL, VetoProposal(pid)), suborgs_errors.NotTheParent)


def test_a_veto_after_the_proposal_ran_is_refused(chain, family):
    parent, child = family
    pid = child_proposal(chain, child, Transfer(NEL.address, 5))
    chain.block(time=chain.time + WINDOW + 1)
    late = decide(chain, ANN, parent, VetoProposal(pid))
    assert late.status == proposals.FAILED
    assert_rejected(late, suborgs_errors.VetoClosed)


def test_dissolving_the_child_returns_its_value_to_the_parent(chain, family):
    parent, child = family
    pid = child_proposal(chain, child, CreateProject("garden", "", 200))
    chain.block(time=chain.time + WINDOW + 1)
    assert proposals.require(chain.state, pid).status == proposals.EXECUTED
    assert balance(chain, child) == 1_000         # 200 sit in the child's project
    assert decide(chain, ANN, parent, DissolveSubOrganization(child)).status == proposals.EXECUTED
    for _ in range(3):
        chain.block()                             # the cascade returns the project's budget, then to the parent
    assert orgs.require(chain.state, child).status == orgs.DISSOLVED
    assert balance(chain, child) == 0 and balance(chain, parent) == 5_000
    assert locked_value(chain.state, chain.time) == []


def test_a_child_whose_members_all_leave_hands_its_treasury_to_the_parent(chain, family):
    parent, child = family
    assert_ok(send(chain, NEL, LeaveOrganization(child)))
    assert balance(chain, parent) == 5_000
    assert_ok(send(chain, BEN, Transfer(orgs.treasury_address(child), 7)))
    assert_ok(send(chain, BEN, SweepTreasury(child)))
    assert balance(chain, parent) == 5_007


def test_only_the_parent_acts_and_the_window_covers_its_decision_time(chain, family):
    parent, child = family
    assert_rejected(send(chain, ANN, DissolveSubOrganization(child)), suborgs_errors.NotTheParent)
    assert_rejected(send(chain, ANN, DissolveSubOrganization(parent)), suborgs_errors.NotASubOrganization)
    slow = quick_org(chain, ANN, {ANN: 1})
    too_short = CreateSubOrganization(slow, "x", "", (OrgMember(NEL.address, 1),), threshold(1), 0, 1)
    failed = decide(chain, ANN, slow, too_short)
    assert (failed.status, failed.result_codespace, failed.result_code) == (proposals.FAILED, "suborgs", 4)
