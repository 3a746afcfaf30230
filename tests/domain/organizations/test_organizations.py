"""Organizations: creation, treasury, leaving (with and without exit right), dissolution, sweeping."""

from __future__ import annotations

import pytest

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import (CreateOrganization, LeaveOrganization, OrgMember, OrgPolicy,
                                                    SweepTreasury, UpdateMembers, UpdatePolicy)
from abci_app.chain.domain.proposals.messages import SubmitProposal
from tests.domain.organizations.support import (assert_ok, create_org, org, policy, send, threshold)
from abci_app.chain import errors
from tests.support.rejections import assert_rejected


def members_of(*pairs):
    return tuple(OrgMember(s.address, w) for s, w in pairs)


def test_creating_an_organization_gives_it_an_id_a_keyless_treasury_and_sorted_members(chain, people):
    a, b, c = people[:3]
    org_id = create_org(chain, a, {c: 1, a: 2, b: 3})
    o = org(chain, org_id)
    assert org_id == 1 and o.status == orgs.ACTIVE
    assert o.treasury == addresses.module("org/1") == orgs.treasury_address(1)
    assert [m.address for m in o.members] == sorted(p.address for p in (a, b, c))
    assert orgs.total_weight(o.members) == 6
    assert create_org(chain, b, {b: 1}) == 2


def test_anyone_may_pay_into_a_treasury_with_a_plain_transfer(chain, people):
    a, b, _, _, outsider = people
    org_id = create_org(chain, a, {a: 1, b: 1})
    assert_ok(send(chain, outsider, Transfer(org(chain, org_id).treasury, 700)))
    assert accounts.balance(chain.state, org(chain, org_id).treasury) == 700


@pytest.mark.parametrize("members, pol, expected", [
    ((), threshold(1), errors.InvalidMembers),
    ("dup", threshold(1), errors.InvalidMembers),
    ("zero", threshold(1), errors.InvalidMembers),
    ("ok", OrgPolicy(0, 1, 100, 0, False), errors.InvalidPolicy),
    ("ok", OrgPolicy(7, 1, 100, 0, False), errors.InvalidPolicy),
    ("ok", policy(threshold=0), errors.InvalidPolicy),
    ("ok", policy(kind=2, threshold=10_001), errors.InvalidPolicy),
    ("ok", policy(voting_period=0), errors.InvalidPolicy),
    ("ok", policy(min_delay=367 * 24 * 3600), errors.InvalidPolicy),
    ("badaddr", threshold(1), errors.InvalidAddress),
])
def test_creating_with_bad_members_or_policy_is_rejected_and_changes_nothing(chain, people, members, pol, expected):
    a, b = people[:2]
    members = {"dup": members_of((a, 1), (a, 2)), "zero": members_of((a, 0)), "ok": members_of((a, 1), (b, 1)),
               "badaddr": (OrgMember("samen1nope", 1),)}.get(members, members)
    outcome = send(chain, a, CreateOrganization("x", "", members, pol))
    assert_rejected(outcome, expected)
    assert outcome.log
    assert orgs.next_id(chain.state) == 1 and orgs.get(chain.state, 1) is None


def test_an_empty_name_is_rejected(chain, people):
    a = people[0]
    assert_rejected(send(chain, a, CreateOrganization("  ", "", members_of((a, 1)), threshold(1))), errors.InvalidName)


def test_members_cannot_change_membership_or_policy_directly(chain, people):
    a, b, c = people[:3]
    org_id = create_org(chain, a, {a: 1, b: 1})
    assert_rejected(send(chain, a, UpdateMembers(org_id, members_of((c, 5)))), errors.NotTheOrganization)
    assert_rejected(send(chain, a, UpdatePolicy(org_id, threshold(1))), errors.NotTheOrganization)
    assert org(chain, org_id).members == members_of(*sorted([(a, 1), (b, 1)], key=lambda p: p[0].address))


def test_acting_on_an_unknown_organization_is_rejected(chain, people):
    a = people[0]
    assert_rejected(send(chain, a, LeaveOrganization(9)), errors.OrganizationNotFound)
    assert_rejected(send(chain, a, SubmitProposal(9, "t", "", (Transfer(a.address, 1),))), errors.OrganizationNotFound)


def test_a_non_member_cannot_leave(chain, people):
    a, b, c = people[:3]
    org_id = create_org(chain, a, {a: 1, b: 1})
    assert_rejected(send(chain, c, LeaveOrganization(org_id)), errors.NotAMember)


def test_leaving_without_exit_right_leaves_the_treasury_whole(chain, people):
    a, b = people[:2]
    org_id = create_org(chain, a, {a: 1, b: 3})
    treasury = org(chain, org_id).treasury
    assert_ok(send(chain, a, Transfer(treasury, 1000)))
    before = accounts.balance(chain.state, b.address)
    assert_ok(send(chain, b, LeaveOrganization(org_id)))
    assert accounts.balance(chain.state, treasury) == 1000
    assert accounts.balance(chain.state, b.address) == before
    assert org(chain, org_id).members == members_of((a, 1))


def test_leaving_with_exit_right_takes_the_floor_of_the_proportional_share(chain, people):
    a, b, c = people[:3]
    org_id = create_org(chain, a, {a: 1, b: 1, c: 1}, threshold(2, exit_right=True))
    treasury = org(chain, org_id).treasury
    assert_ok(send(chain, a, Transfer(treasury, 1000)))
    before = accounts.balance(chain.state, b.address)
    assert_ok(send(chain, b, LeaveOrganization(org_id)))
    assert accounts.balance(chain.state, b.address) == before + 333      # 1000 * 1 // 3
    assert accounts.balance(chain.state, treasury) == 667
    assert orgs.total_weight(org(chain, org_id).members) == 2


def test_the_last_member_with_exit_right_takes_the_whole_treasury_and_the_organization_dissolves(chain, people):
    a = people[0]
    org_id = create_org(chain, a, {a: 2}, threshold(1, exit_right=True))
    treasury = org(chain, org_id).treasury
    assert_ok(send(chain, a, Transfer(treasury, 501)))
    before = accounts.balance(chain.state, a.address)
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    assert accounts.balance(chain.state, a.address) == before + 501
    assert accounts.balance(chain.state, treasury) == 0
    assert org(chain, org_id).status == orgs.DISSOLVED and org(chain, org_id).members == ()


def test_the_last_member_without_exit_right_dissolves_and_the_treasury_goes_to_the_community_pool(chain, people):
    a, b = people[:2]
    org_id = create_org(chain, a, {a: 1, b: 1})
    treasury = org(chain, org_id).treasury
    assert_ok(send(chain, a, Transfer(treasury, 900)))
    pool = accounts.balance(chain.state, addresses.COMMUNITY_POOL)
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    result = chain.block(chain.tx(b, LeaveOrganization(org_id)))
    assert [e.TYPE for e in result.txs[0].events] == ["organization_member_left", "organization_dissolved"]
    assert accounts.balance(chain.state, treasury) == 0
    assert accounts.balance(chain.state, addresses.COMMUNITY_POOL) == pool + 900
    assert org(chain, org_id).status == orgs.DISSOLVED


def test_a_dissolved_organization_accepts_no_proposals_and_no_members_leave_twice(chain, people):
    a = people[0]
    org_id = create_org(chain, a, {a: 1})
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    assert_rejected(send(chain, a, SubmitProposal(org_id, "t", "", (Transfer(a.address, 1),))), errors.OrganizationDissolved)
    assert_rejected(send(chain, a, LeaveOrganization(org_id)), errors.OrganizationDissolved)


def test_anyone_can_sweep_funds_that_reach_a_dissolved_treasury_to_the_community_pool(chain, people):
    a, _, _, _, outsider = people
    org_id = create_org(chain, a, {a: 1})
    treasury = org(chain, org_id).treasury
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    assert_rejected(send(chain, outsider, SweepTreasury(org_id)), errors.NothingToSweep)
    assert_ok(send(chain, outsider, Transfer(treasury, 42)))   # e.g. a late refund
    pool = accounts.balance(chain.state, addresses.COMMUNITY_POOL)
    assert_ok(send(chain, outsider, SweepTreasury(org_id)))
    assert accounts.balance(chain.state, treasury) == 0
    assert accounts.balance(chain.state, addresses.COMMUNITY_POOL) == pool + 42


def test_sweeping_an_active_organization_is_rejected(chain, people):
    a, b = people[:2]
    org_id = create_org(chain, a, {a: 1})
    assert_ok(send(chain, b, Transfer(org(chain, org_id).treasury, 10)))
    assert_rejected(send(chain, b, SweepTreasury(org_id)), errors.OrganizationActive)
    assert accounts.balance(chain.state, org(chain, org_id).treasury) == 10
