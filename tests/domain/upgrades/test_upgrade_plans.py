"""Upgrades decided on chain: plans by the network organization, the halt or the migration at the height."""

from __future__ import annotations

import json

import pytest

from abci_app.chain.domain.upgrades import registry
from abci_app.chain.domain.upgrades.events import UpgradeApplied
from abci_app.chain.domain.upgrades.messages import CancelUpgrade, ScheduleUpgrade
from abci_app.chain.domain.upgrades.registry import IncompatibleSoftware, UpgradeNeeded
from abci_app.chain.domain.validators import state as vals
from tests.domain.organizations.support import send
from tests.domain.organizations.test_community_pool import NETWORK, run
from tests.support import upgrade_next
from abci_app.chain import errors
from tests.support.rejections import assert_rejected

NEXT = upgrade_next.NAME
CURRENT, NEXT_VERSION = registry.software_app_version(), upgrade_next.APP_VERSION   # 2 and 3



def schedule(chain, validator, name: str, height: int, info: str = "") -> None:
    done = run(chain, validator, NETWORK, ScheduleUpgrade(name, height, info))
    assert done.status == "executed", (done.status, done.result_codespace, done.result_code)


def query(chain) -> dict:
    result = chain.app.query("/upgrade", b"")
    assert result.code == 0, result.log
    return json.loads(result.value)


def blocks_until(chain, height: int) -> None:
    while chain.height < height:
        chain.block()


def test_a_network_proposal_schedules_an_upgrade_and_the_query_shows_it(netchain, people):
    schedule(netchain, people[0], NEXT, netchain.height + 50, "get it at example.org")
    doc = query(netchain)
    assert doc["plan"]["name"] == NEXT and doc["plan"]["info"] == "get it at example.org"
    assert doc["app_version"] == CURRENT and doc["applied"] == []


def test_only_the_network_organization_may_schedule_and_plans_must_be_sane(netchain, people):
    assert_rejected(send(netchain, people[2], ScheduleUpgrade(NEXT, 1000)), errors.NotTheNetworkOrganization)
    assert_rejected(send(netchain, people[0], ScheduleUpgrade("V 2!", 1000)), errors.InvalidUpgradePlan)
    past = run(netchain, people[0], NETWORK, ScheduleUpgrade(NEXT, 1))
    assert past.status == "failed"
    assert_rejected(past, errors.InvalidUpgradePlan)
    assert query(netchain)["plan"] is None


def test_a_cancelled_upgrade_is_gone_and_its_height_passes_without_a_halt(netchain, people):
    height = netchain.height + 20
    schedule(netchain, people[0], NEXT, height)
    wrong = run(netchain, people[0], NETWORK, CancelUpgrade("other"))
    assert_rejected(wrong, errors.NoSuchUpgrade)
    assert run(netchain, people[0], NETWORK, CancelUpgrade(NEXT)).status == "executed"
    blocks_until(netchain, height + 1)
    assert query(netchain)["plan"] is None


def test_software_without_the_upgrade_stops_before_the_block_and_refuses_to_restart(netchain, people):
    height = netchain.height + 6
    schedule(netchain, people[0], NEXT, height)
    blocks_until(netchain, height - 1)
    before = netchain.app.committed.app_hash
    with pytest.raises(UpgradeNeeded, match=f"^upgrade {NEXT} needed at height {height}$"):
        netchain.finalize()
    netchain.reopen()
    assert netchain.app.committed.app_hash == before and netchain.height == height - 1
    assert str(netchain.app.startup_problem()) == f"upgrade {NEXT} needed at height {height}"


def test_software_with_the_upgrade_migrates_once_at_the_height_and_raises_the_app_version(netchain, people, monkeypatch):
    height = netchain.height + 6
    schedule(netchain, people[0], NEXT, height)
    blocks_until(netchain, height - 1)
    upgrade_next.install(monkeypatch.setattr)
    assert netchain.app.startup_problem() is None
    result = netchain.block()
    assert result.app_version == NEXT_VERSION and result.events[0] == UpgradeApplied(NEXT, height, NEXT_VERSION)
    assert netchain.app.app_version() == NEXT_VERSION
    raw = next(v for _, v in netchain.state.iter_prefix(b"val/s/"))
    assert len(bytes(raw)) == 8 and vals.members(netchain.state)[0][1] == 10
    assert netchain.block().app_version == 0
    assert query(netchain) == {"app_version": NEXT_VERSION, "plan": None, "applied": [{"name": NEXT, "height": height}]}


def test_a_crash_after_the_migration_before_commit_recovers_with_an_equal_app_hash(netchain, people, monkeypatch):
    height = netchain.height + 6
    schedule(netchain, people[0], NEXT, height)
    blocks_until(netchain, height - 1)
    upgrade_next.install(monkeypatch.setattr)
    first = netchain.finalize()
    netchain.reopen()   # the process died between FinalizeBlock and Commit
    netchain.time -= netchain.block_seconds
    second = netchain.block()
    assert second.app_hash == first.app_hash and netchain.app.app_version() == NEXT_VERSION


def test_newer_software_refuses_a_chain_before_its_upgrade_and_older_software_after_it(netchain, people, monkeypatch):
    height = netchain.height + 6
    schedule(netchain, people[0], NEXT, height)
    current = dict(registry.KNOWN)
    upgrade_next.install(monkeypatch.setattr)
    too_new = netchain.app.startup_problem()
    assert isinstance(too_new, IncompatibleSoftware) and f"runs app version {CURRENT};" in str(too_new)
    monkeypatch.setattr(registry, "KNOWN", current)
    blocks_until(netchain, height - 1)
    upgrade_next.install(monkeypatch.setattr)
    netchain.block()
    monkeypatch.setattr(registry, "KNOWN", current)
    too_old = netchain.app.startup_problem()
    assert isinstance(too_old, IncompatibleSoftware) and f"runs app version {NEXT_VERSION};" in str(too_old)


def test_graphql_shows_the_app_version_the_plan_and_the_applied_upgrades(netchain, people, monkeypatch):
    from tests.graphql.conftest import Api, make_api

    height = netchain.height + 6
    schedule(netchain, people[0], NEXT, height, "notes")
    text = "{ upgrade { appVersion plan { name height info } applied { name height } } }"
    with make_api(netchain) as client:
        before = Api(client).data(text)["upgrade"]
    assert before == {"appVersion": CURRENT, "plan": {"name": NEXT, "height": height, "info": "notes"}, "applied": []}
    upgrade_next.install(monkeypatch.setattr)
    blocks_until(netchain, height)
    with make_api(netchain) as client:
        after = Api(client).data(text)["upgrade"]
    assert after == {"appVersion": NEXT_VERSION, "plan": None, "applied": [{"name": NEXT, "height": height}]}
