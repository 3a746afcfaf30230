"""Roles with budgets through the real state machine: grant by proposal, act without a vote, limits, expiry."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.market.messages import AcceptOffer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import OrgMember, UpdateMembers
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.roles import state as roles
from abci_app.chain.domain.roles.events import RoleUsed
from abci_app.chain.domain.roles.messages import ActAsRole, GrantRole, RevokeRole
from abci_app.chain.domain.streams.messages import CreateStream
from tests.domain.organizations.support import assert_ok, code, send
from tests.support.chain import TestChain, key
from tests.support.market import offer_msg, request_msg
from tests.support.org_tools import decide, quick_org
from abci_app.chain import errors
from abci_app.chain.domain.roles import errors as roles_errors
from tests.support.rejections import assert_rejected, pair

ANN, BEN, PRO = key(91), key(92), key(93)
MONTH = 30 * 86_400


@pytest.fixture()
def chain(tmp_path):
    c = TestChain(tmp_path / "db", balances={ANN: 5_000, BEN: 100, PRO: 100})
    c.block()
    yield c
    c.close()


@pytest.fixture()
def org_id(chain):
    org = quick_org(chain, ANN, {ANN: 1, BEN: 1}, funds=3_000)
    grant = GrantRole(org, "coordinator", ANN.address, ("transfer", "post_request", "accept_offer"), 500, MONTH,
                      chain.time + 365 * 86_400)
    assert decide(chain, ANN, org, grant).status == proposals.EXECUTED
    return org


def treasury(chain, org_id) -> int:
    return accounts.balance(chain.state, orgs.treasury_address(org_id))


def test_the_holder_spends_without_a_vote_within_the_period_limit(chain, org_id):
    used = assert_ok(send(chain, ANN, ActAsRole(org_id, "coordinator", Transfer(PRO.address, 300))))
    assert [e for e in used.events if isinstance(e, RoleUsed)][0].remaining == 200
    assert_rejected(send(chain, ANN, ActAsRole(org_id, "coordinator", Transfer(PRO.address, 201))), roles_errors.RoleBudgetExceeded)
    assert treasury(chain, org_id) == 2_700
    role = roles.require(chain.state, org_id, "coordinator")
    assert_ok(send(chain, ANN, ActAsRole(org_id, "coordinator", Transfer(PRO.address, 500)),
                   time=role.granted_at + MONTH))
    assert roles.remaining(roles.require(chain.state, org_id, "coordinator"), chain.time) == 0


def test_a_coordinator_accepts_an_offer_within_budget_and_the_escrow_counts_as_spent(chain, org_id):
    assert_ok(send(chain, ANN, ActAsRole(org_id, "coordinator", request_msg(chain.time + 5, budget=450))))
    assert_ok(send(chain, PRO, offer_msg(1, chain.time + 5, price=450)))
    assert_ok(send(chain, ANN, ActAsRole(org_id, "coordinator", AcceptOffer(1))))
    assert treasury(chain, org_id) == 3_000 - 450
    assert roles.remaining(roles.require(chain.state, org_id, "coordinator"), chain.time) == 50


def test_kinds_holder_expiry_and_revocation_are_enforced(chain, org_id):
    assert code(send(chain, ANN, ActAsRole(org_id, "coordinator",
                                           UpdateMembers(org_id, (OrgMember(PRO.address, 5),))))) == pair(roles_errors.ActionNotAllowed)
    assert code(send(chain, ANN, ActAsRole(org_id, "coordinator",
                                           CreateStream(PRO.address, 1, 60, 0, 0, 10)))) == pair(roles_errors.ActionNotAllowed)
    assert_rejected(send(chain, BEN, ActAsRole(org_id, "coordinator", Transfer(PRO.address, 1))), roles_errors.NotTheHolder)
    assert_rejected(send(chain, ANN, ActAsRole(org_id, "treasurer", Transfer(PRO.address, 1))), roles_errors.RoleNotFound)
    assert decide(chain, BEN, org_id, RevokeRole(org_id, "coordinator")).status == proposals.EXECUTED
    assert_rejected(send(chain, ANN, ActAsRole(org_id, "coordinator", Transfer(PRO.address, 1))), roles_errors.RoleNotFound)


def test_a_role_expires_at_its_expiry(chain):
    org = quick_org(chain, ANN, {ANN: 1}, funds=100)
    assert decide(chain, ANN, org, GrantRole(org, "payer", ANN.address, ("transfer",), 50, 60,
                                             chain.time + 100)).status == proposals.EXECUTED
    assert code(send(chain, ANN, ActAsRole(org, "payer", Transfer(PRO.address, 1)), time=chain.time + 200)) == (
        "roles", 5)


def test_only_the_organization_grants_and_only_to_a_member(chain, org_id):
    grant = GrantRole(org_id, "x", PRO.address, ("transfer",), 5, 60, chain.time + 600)
    assert_rejected(send(chain, ANN, grant), errors.NotTheOrganization)
    assert decide(chain, ANN, org_id, grant).status == proposals.FAILED
    assert code(send(chain, ANN, GrantRole(org_id, "x", ANN.address, ("update_policy",), 5, 60, 10**10))) == (
        "roles", 2)
