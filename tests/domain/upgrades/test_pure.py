"""Upgrade handlers (directly and through the network organization's proposals) and the begin-block step, pure:
against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

import pytest

from abci_app.chain import errors
from abci_app.chain.components import ROUTER
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.proposals import execution as proposal_execution
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.upgrades import handlers as upgrade_handlers
from abci_app.chain.domain.upgrades import registry
from abci_app.chain.domain.upgrades import state as upgrades
from abci_app.chain.domain.upgrades.messages import CancelUpgrade, ScheduleUpgrade
from abci_app.chain.domain.validators import state as vals
from tests.support.chain import key
from tests.support.pure import PureChain, network_genesis
from tests.support.rejections import assert_rejected

ANN, BO = key(1), key(2)


def network() -> tuple[PureChain, str]:
    world = PureChain({ANN: 1_000}, network_genesis((ANN, BO), {bytes([1]) * 32: 10}))
    return world, orgs.require(world.state, vals.network_org(world.state)).treasury


def passed_and_run(world: PureChain, org_id: int, action) -> proposals.Proposal:
    """ANN proposes ``action`` to the network organization and votes yes (threshold 1, no delay); the proposals'
    end-block hook runs it; return the proposal afterwards."""
    pid = proposals.next_id(world.state)
    world.run(ANN, SubmitProposal(org_id, "upgrade", "", (action,)))
    world.run(ANN, Vote(pid, YES))
    proposal_execution.end_block(world.state, world.block(), router=ROUTER)
    return proposals.require(world.state, pid)


def test_a_passed_proposal_of_the_network_organization_schedules_and_then_cancels_the_plan():
    world, _ = network()
    org_id = vals.network_org(world.state)
    assert passed_and_run(world, org_id, ScheduleUpgrade("v9", world.height + 50)).status == proposals.EXECUTED
    assert upgrades.plan(world.state).name == "v9"
    assert passed_and_run(world, org_id, CancelUpgrade("v9")).status == proposals.EXECUTED
    assert upgrades.plan(world.state) is None


def test_a_proposal_cancelling_a_plan_that_is_not_pending_records_the_error_and_changes_no_plan():
    world, treasury = network()
    world.run(treasury, ScheduleUpgrade("v9", world.height + 50))
    failed = passed_and_run(world, vals.network_org(world.state), CancelUpgrade("v8"))
    assert_rejected(failed, errors.NoSuchUpgrade)
    assert upgrades.plan(world.state).name == "v9"


def test_scheduling_an_upgrade_writes_only_the_plan_and_a_second_plan_replaces_it():
    world, treasury = network()
    changed = world.changes(treasury, ScheduleUpgrade("v9", world.height + 10, "notes"))
    assert set(changed) == {upgrades.PLAN}
    world.run(treasury, ScheduleUpgrade("v10", world.height + 20))
    assert upgrades.plan(world.state).name == "v10"


def test_cancelling_the_pending_plan_deletes_it_and_a_plan_of_another_name_cannot_be_cancelled():
    world, treasury = network()
    world.run(treasury, ScheduleUpgrade("v9", world.height + 10))
    world.rejects(treasury, CancelUpgrade("v8"), errors.NoSuchUpgrade)
    assert world.changes(treasury, CancelUpgrade("v9")) == {upgrades.PLAN: None}
    assert upgrades.plan(world.state) is None


def test_a_plan_at_a_past_height_or_from_anyone_but_the_network_organization_is_rejected():
    world, treasury = network()
    world.rejects(treasury, ScheduleUpgrade("v9", world.height), errors.InvalidUpgradePlan)
    world.rejects(ANN, ScheduleUpgrade("v9", world.height + 10), errors.NotTheNetworkOrganization)
    world.rejects(treasury, ScheduleUpgrade("Not A Name", world.height + 10), errors.InvalidUpgradePlan)


def test_at_its_height_a_plan_unknown_to_this_software_stops_the_node_before_the_block():
    world, treasury = network()
    world.run(treasury, ScheduleUpgrade("never-released", world.height + 5))
    world.height = upgrades.plan(world.state).height - 1
    assert upgrade_handlers.begin_block(world.state, world.block()) == []
    world.height += 1
    with pytest.raises(registry.UpgradeNeeded):
        upgrade_handlers.begin_block(world.state, world.block())
    assert upgrades.plan(world.state).name == "never-released"
