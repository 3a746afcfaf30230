"""Role handlers, pure: grant, act and revoke against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.roles import errors as role_errors
from abci_app.chain.domain.roles import keys as role_keys
from abci_app.chain.domain.roles import state as roles
from abci_app.chain.domain.roles.messages import ActAsRole, GrantRole, RevokeRole
from tests.domain.organizations.support import pure_funded_org
from tests.support.chain import key
from tests.support.pure import PureChain

ANN, BO, CAS = key(1), key(2), key(3)
DAY = 86_400


def funded_org(world: PureChain) -> orgs.Organization:
    """An organization of ANN and BO whose treasury holds 500."""
    return pure_funded_org(world, ANN, (ANN, BO), 500)


def grant(world: PureChain, org: orgs.Organization, limit: int = 100) -> GrantRole:
    return GrantRole(org.id, "buyer", BO.address, ("transfer",), limit, DAY, world.time + 30 * DAY)


def test_granting_a_role_writes_the_role_and_its_expiry_key_and_nothing_else():
    world = PureChain({ANN: 1_000})
    org = funded_org(world)
    msg = grant(world, org)
    changed = world.changes(org.treasury, msg)
    assert set(changed) == {role_keys.role(org.id, "buyer"), role_keys.expiry(msg.expires_at, org.id, "buyer")}
    assert roles.require(world.state, org.id, "buyer").holder == BO.address


def test_acting_as_a_role_moves_the_treasury_money_and_counts_it_against_the_budget():
    world = PureChain({ANN: 1_000})
    org = funded_org(world)
    world.run(org.treasury, grant(world, org))
    changed = world.changes(BO, ActAsRole(org.id, "buyer", Transfer(CAS.address, 60)))
    assert set(changed) == {account_keys.account(org.treasury), account_keys.account(CAS.address),
                            role_keys.role(org.id, "buyer")}
    assert accounts.balance(world.state, CAS.address) == 60
    assert roles.spent_now(roles.require(world.state, org.id, "buyer"), world.time) == 60


def test_spending_beyond_the_periods_limit_is_refused_and_changes_nothing():
    world = PureChain({ANN: 1_000})
    org = funded_org(world)
    world.run(org.treasury, grant(world, org, limit=100))
    world.run(BO, ActAsRole(org.id, "buyer", Transfer(CAS.address, 60)))
    world.rejects(BO, ActAsRole(org.id, "buyer", Transfer(CAS.address, 41)), role_errors.RoleBudgetExceeded)
    assert accounts.balance(world.state, CAS.address) == 60


def test_only_the_holder_may_act_and_a_revoked_role_is_gone_with_its_expiry_key():
    world = PureChain({ANN: 1_000})
    org = funded_org(world)
    msg = grant(world, org)
    world.run(org.treasury, msg)
    world.rejects(ANN, ActAsRole(org.id, "buyer", Transfer(CAS.address, 1)), role_errors.NotTheHolder)
    changed = world.changes(org.treasury, RevokeRole(org.id, "buyer"))
    assert changed == {role_keys.role(org.id, "buyer"): None, role_keys.expiry(msg.expires_at, org.id, "buyer"): None}
    world.rejects(org.treasury, RevokeRole(org.id, "buyer"), role_errors.RoleNotFound)


def test_a_role_for_a_non_member_is_rejected():
    world = PureChain({ANN: 1_000})
    org = funded_org(world)
    msg = GrantRole(org.id, "buyer", CAS.address, ("transfer",), 100, DAY, world.time + DAY)
    world.rejects(org.treasury, msg, role_errors.InvalidRole)
