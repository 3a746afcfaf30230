"""Project handlers, pure: budgets moved in and out against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain import errors
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.messages import CreateProject, FundProject, WithdrawProjectBudget
from tests.support.chain import key
from tests.support.pure import PureChain

OWNER, OTHER = key(1), key(2)


def test_a_project_holds_the_budget_its_owner_moves_in_and_gives_it_back_on_withdrawal():
    world = PureChain({OWNER: 1_000, OTHER: 1_000})
    project_id = world.run(OWNER, CreateProject("Garden", "beds", 300))[0].project_id
    world.run(OTHER, FundProject(project_id, 200))
    assert projects.get(world.state, project_id).budget == 500
    world.run(OWNER, WithdrawProjectBudget(project_id, 100))
    assert projects.get(world.state, project_id).budget == 400
    assert accounts.balance(world.state, OWNER.address) == 1_000 - 300 + 100


def test_only_the_owner_withdraws_and_never_more_than_the_budget():
    world = PureChain({OWNER: 1_000, OTHER: 1_000})
    project_id = world.run(OWNER, CreateProject("Garden", "beds", 300))[0].project_id
    world.rejects(OTHER, WithdrawProjectBudget(project_id, 1), errors.NotProjectOwner)
    world.rejects(OWNER, WithdrawProjectBudget(project_id, 301), errors.InsufficientBudget)
    world.rejects(OWNER, FundProject(99, 5), errors.ProjectNotFound)
