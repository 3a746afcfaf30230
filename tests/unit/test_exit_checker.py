"""The exit checker (tests/support/exits.py) on hand-built states: it flags value nobody can move, only that.

The finding-3 states of issue 12 are written record by record (the chain no
longer produces them), so these tests keep proving the checker can see them.
"""

from __future__ import annotations

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import LAZY, THRESHOLD, OrgMember, OrgPolicy
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.state.protocols import DictState
from tests.support import exits
from tests.support.chain import key

NOW = 1_700_000_000
BOB, CAROL = key(2).address, key(3).address


class WritableState(DictState):
    def put(self, key: bytes, value: bytes) -> None:
        self.data[key] = value

    def delete(self, key: bytes) -> None:
        self.data.pop(key, None)


def organization(state, org_id: int, members: dict[str, int], threshold: int = 1, status: str = orgs.ACTIVE,
                 kind: int = THRESHOLD, treasury: int = 0) -> str:
    """Store organization ``org_id`` with ``members`` and ``treasury`` in its treasury; return the treasury."""
    org = orgs.Organization(org_id, f"org {org_id}", "", orgs.treasury_address(org_id), (),
                            OrgPolicy(kind, threshold, 100, 0, False), status, NOW)
    orgs.create(state, orgs.with_members(org, tuple(OrgMember(a, w) for a, w in members.items())))
    if treasury:
        accounts.credit(state, org.treasury, treasury)
    return org.treasury


def project(state, project_id: int, owner: str, budget: int) -> None:
    projects.put(state, projects.Project(project_id, owner, "a project", "", budget, NOW))
    accounts.credit(state, projects.BUDGETS, budget)


def places(state, now: int = NOW) -> list[str]:
    return [item.place for item in exits.locked_value(state, now)]


def test_a_project_budget_whose_owner_organization_dissolved_is_reported_locked():
    state = WritableState()
    a = organization(state, 1, {}, status=orgs.DISSOLVED)
    project(state, 1, a, 600)
    locked = exits.locked_value(state, NOW)
    assert [(x.place, x.amount) for x in locked] == [("budget of project 1", 600)]
    assert "organization 1 (dissolved)" in locked[0].why


def test_an_organization_kept_from_deciding_by_a_dissolved_member_is_reported_locked():
    state = WritableState()
    a = organization(state, 1, {}, status=orgs.DISSOLVED)
    organization(state, 2, {a: 2, BOB: 1}, threshold=2, treasury=1_000)
    locked = exits.locked_value(state, NOW)
    assert [(x.place, x.amount) for x in locked] == [("treasury of organization 2", 1_000)]
    assert "live weight 1 of 3" in locked[0].why


def test_the_same_organization_without_the_dead_member_has_an_exit():
    state = WritableState()
    organization(state, 1, {}, status=orgs.DISSOLVED, treasury=5)   # anyone may sweep it
    organization(state, 2, {BOB: 1}, threshold=2, treasury=1_000)    # threshold capped at the total weight
    assert places(state) == []


def test_a_project_owned_by_a_person_or_a_deciding_organization_has_an_exit():
    state = WritableState()
    org = organization(state, 1, {BOB: 1, CAROL: 1}, threshold=2)
    project(state, 1, BOB, 10)
    project(state, 2, org, 20)
    assert places(state) == []


def test_an_open_transfer_offer_to_someone_who_can_act_is_an_exit_until_it_expires():
    state = WritableState()
    a = organization(state, 1, {}, status=orgs.DISSOLVED)
    project(state, 1, a, 600)
    projects.put_offer(state, projects.TransferOffer(1, a, BOB, NOW - 10, NOW + 10))
    assert places(state, NOW) == []
    assert places(state, NOW + 10) == ["budget of project 1"]


def test_a_cycle_of_organizations_with_no_person_behind_it_cannot_decide():
    state = WritableState()
    first, second = orgs.treasury_address(1), orgs.treasury_address(2)
    organization(state, 1, {second: 1}, treasury=7)
    organization(state, 2, {first: 1}, treasury=8)
    organization(state, 3, {BOB: 1, first: 5}, kind=LAZY, treasury=9)   # lazy: bob alone passes it
    assert places(state) == ["treasury of organization 1", "treasury of organization 2"]


def test_an_open_milestone_without_a_due_key_is_reported_and_one_with_it_is_not():
    state = WritableState()
    ms = agreements.Milestone("delivery", 300, NOW + 50, due_at=NOW + 60)
    agreement = agreements.Agreement(1, BOB, CAROL, "", 300, 300, b"", (), 0, 0, 0, (ms,), NOW, NOW, NOW, 1, 0)
    agreements.put(state, agreement)
    accounts.credit(state, agreements.ESCROW, 300)
    assert places(state) == ["escrow: agreement 1 milestone 0"]
    agreements.schedule(state, 1, 0, ms.due_at)
    assert places(state) == []


def test_a_module_account_holding_more_than_its_records_is_reported_with_the_surplus():
    state = WritableState()
    project(state, 1, BOB, 10)
    accounts.credit(state, projects.BUDGETS, 4)
    assert [(x.place, x.amount) for x in exits.locked_value(state, NOW)] == [("project budgets", 4)]


def test_a_community_pool_with_no_network_organization_is_reported():
    state = WritableState()
    accounts.credit(state, addresses.COMMUNITY_POOL, 12)
    assert places(state) == ["community pool"]


def test_a_registered_place_and_module_account_are_walked_too():
    bonds = addresses.module("test/bonds")
    state = WritableState()
    accounts.credit(state, bonds, 50)

    def bond_place(view):
        yield exits.Holding(bonds, "bond of dispute 1", 30)
        yield exits.Holding(bonds, "bond of dispute 2", 5, "nobody can release it")

    exits.register_module_account(bonds, "dispute bonds")
    exits.register_place("test bonds", bond_place)
    try:
        locked = exits.locked_value(state, NOW)
    finally:
        del exits.PLACES["test bonds"], exits.MODULE_ACCOUNTS[bonds]
    assert [(x.place, x.amount) for x in locked] == [("bond of dispute 2", 5), ("dispute bonds", 15)]


def test_what_a_queued_cascade_will_return_or_remove_counts_as_having_an_exit():
    state = WritableState()
    a = organization(state, 1, {}, status=orgs.DISSOLVED)
    orgs.mark_dissolved(state, orgs.require(state, 1), NOW)           # queued, nothing done yet
    project(state, 1, a, 600)
    projects.index_owner(state, 1, "", a)
    organization(state, 2, {a: 2, BOB: 1}, threshold=2, treasury=1_000)
    assert places(state) == []
    projects.unindex_owner(state, a, 1)                                # the cascade passed it by: no exit left
    assert places(state) == ["budget of project 1"]
