"""Hypothesis: a role never spends beyond its period limit.

The holder of a role (limit per period, kinds: transfer, create_project,
fund_project, create_stream) acts at random times with random amounts, also
moving money back from projects; after each use, the organization's measured
outflow (treasury plus project budgets) summed per period of the role, recounted
here from balances, never passes the limit, and a refused use changes nothing.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.messages import CreateProject, FundProject, WithdrawProjectBudget
from abci_app.chain.domain.roles import state as roles
from abci_app.chain.domain.roles import errors as roles_errors
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.roles.events import RoleRevoked
from abci_app.chain.domain.roles.messages import ActAsRole, GrantRole, RevokeRole
from abci_app.chain.domain.streams.messages import CreateStream
from tests.support.chain import TestChain, key
from tests.support.econ_org_tools import RoleWatch
from tests.support.org_tools import decide, quick_org
from tests.support.rejections import pair, rejection

HOLDER, OTHER = key(120), key(121)
LIMIT, PERIOD = 1_000, 500
KINDS = ("transfer", "create_project", "fund_project", "create_stream", "withdraw_project_budget")
QUICK = settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
OUTCOMES: dict[str, int] = {"ok": 0, "over": 0}


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    c = TestChain(tmp_path_factory.mktemp("roles") / "db", balances={HOLDER: 10**9, OTHER: 100})
    c.block()
    yield c
    c.close()


def _action(kind: int, amount: int, treasury: str, owned: list[int]):
    if kind == 1:
        return CreateProject("p", "", amount)
    if kind == 2 and owned:
        return FundProject(owned[amount % len(owned)], amount)
    if kind == 3:
        return CreateStream(OTHER.address, max(1, amount // 3), 60, 0, 0, amount)
    if kind == 4 and owned:
        return WithdrawProjectBudget(owned[amount % len(owned)], 1 + amount % 50)
    return Transfer(OTHER.address, amount)


def test_a_role_never_spends_beyond_its_period_limit(chain):
    @QUICK
    @given(st.lists(st.tuples(st.integers(0, 4), st.integers(1, 700), st.integers(0, 400)), min_size=1, max_size=15))
    def prop(uses):
        org_id = quick_org(chain, HOLDER, {HOLDER: 1}, funds=20_000)
        treasury = orgs.treasury_address(org_id)
        grant = GrantRole(org_id, "spender", HOLDER.address, KINDS, LIMIT, PERIOD, chain.time + 10**6)
        decide(chain, HOLDER, org_id, grant)
        role = roles.require(chain.state, org_id, "spender")
        spent: dict[int, int] = {}
        for kind, amount, wait in uses:
            owned = [p.id for p in projects.all_projects(chain.state) if p.owner == treasury]
            before = _value(chain, treasury)
            result = chain.block(chain.tx(HOLDER, ActAsRole(org_id, "spender", _action(kind, amount, treasury, owned))),
                                 time=chain.time + 1 + wait)
            outflow = before - _value(chain, treasury)
            if not result.txs[0].charged:
                chain.sequences[HOLDER.address] -= 1
            if result.txs[0].ok:
                OUTCOMES["ok"] += 1
                period = roles.period_of(role, chain.time)
                spent[period] = spent.get(period, 0) + max(0, outflow)
                assert spent[period] <= LIMIT
            else:
                OUTCOMES["over"] += rejection(result.txs[0]) == pair(roles_errors.RoleBudgetExceeded)
                assert outflow == 0

    prop()
    assert OUTCOMES["ok"] and OUTCOMES["over"], OUTCOMES


def test_the_economy_watch_judges_a_role_used_in_the_block_that_revokes_it_as_it_stood_before(tmp_path):
    chain = TestChain(tmp_path / "db", balances={HOLDER: 10**6, OTHER: 100})
    org_id = quick_org(chain, HOLDER, {HOLDER: 1}, funds=20_000)
    grant = GrantRole(org_id, "spender", HOLDER.address, KINDS, LIMIT, PERIOD, chain.time + 10**6)
    decide(chain, HOLDER, org_id, grant)
    watch = RoleWatch(chain.state)
    revoke = proposals.next_id(chain.state)
    result = chain.block(chain.tx(HOLDER, SubmitProposal(org_id, "revoke", "", (RevokeRole(org_id, "spender"),), ())),
                         chain.tx(HOLDER, Vote(revoke, YES)),
                         chain.tx(HOLDER, ActAsRole(org_id, "spender", Transfer(OTHER.address, 300))))
    assert all(t.ok for t in result.txs) and RoleRevoked(org_id, "spender") in result.events
    assert roles.get(chain.state, org_id, "spender") is None
    watch.observe(chain.state, result, chain.time)     # used, then revoked at the end of the same block
    assert list(watch.spent.values()) == [300]
    chain.close()


def _value(chain, treasury: str) -> int:
    """The organization's treasury plus the budgets of the projects it owns."""
    budgets = sum(p.budget for p in projects.all_projects(chain.state) if p.owner == treasury)
    return accounts.balance(chain.state, treasury) + budgets
