"""Streams (and the other organization tools) over GraphQL, on an in-process chain."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.streams.messages import ClaimStream, CreateStream
from tests.domain.organizations.support import assert_ok, send
from tests.graphql.conftest import Api, make_api
from tests.support.chain import TestChain, key

PAYER, TRAINER = key(51), key(52)


@pytest.fixture
def stream_api(tmp_path):
    chain = TestChain(tmp_path / "db", balances={PAYER: 10_000, TRAINER: 10})
    chain.block()
    start = chain.time + 5
    assert_ok(send(chain, PAYER, CreateStream(TRAINER.address, 100, 10, start, 0, 1_000)))
    assert_ok(send(chain, TRAINER, ClaimStream(1), time=start + 25))
    chain.block(time=start + 47)
    with make_api(chain) as client:
        yield Api(client)
    chain.close()


def test_a_stream_shows_what_was_claimed_and_what_is_claimable_now(stream_api):
    found = stream_api.data('{ streams(address: "%s") { id recipient claimed claimable total status } }'
                            % PAYER.address)["streams"]
    assert found == [{"id": "1", "recipient": TRAINER.address, "claimed": "200", "claimable": "200",
                      "total": "1000", "status": "active"}]
    received = stream_api.data('{ streams(address: "%s", received: true) { id } }' % TRAINER.address)["streams"]
    assert [s["id"] for s in received] == ["1"]


def test_recurring_cost_figures_count_the_active_streams_per_30_days(stream_api):
    cost = stream_api.data('{ recurringCost(scope: "org/%s") { active per30Days reserved paid } }'
                           % PAYER.address)["recurringCost"]
    assert cost == {"active": 1, "per30Days": str(100 * 2_592_000 // 10), "reserved": "800", "paid": "200"}


def test_who_votes_for_whom_shows_in_delegations_and_the_proposal_snapshot(tmp_path):
    from abci_app.chain.domain.delegation.messages import DelegateVote
    from abci_app.chain.domain.proposals.messages import SubmitProposal
    from abci_app.chain.domain.accounts.messages import Transfer
    from tests.domain.organizations.support import create_org, threshold

    chain = TestChain(tmp_path / "db", balances={PAYER: 100, TRAINER: 100})
    org_id = create_org(chain, PAYER, {PAYER: 1, TRAINER: 1}, threshold(2))
    assert_ok(send(chain, PAYER, DelegateVote(org_id, TRAINER.address, "finance")))
    assert_ok(send(chain, PAYER, SubmitProposal(org_id, "p", "", (Transfer(PAYER.address, 1),), ("finance",))))
    with make_api(chain) as client:
        api = Api(client)
        backers = api.data('{ delegations(organization: "%d", address: "%s", backers: true) { delegator tag } }'
                           % (org_id, TRAINER.address))["delegations"]
        snap = api.data('{ delegationSnapshot(proposal: "1") { tags paths { voter via } } }')["delegationSnapshot"]
        voters = api.data('{ proposal(id: "1") { voters { address weight } } }')["proposal"]["voters"]
    chain.close()
    assert voters == sorted([{"address": a.address, "weight": "1"} for a in (PAYER, TRAINER)], key=lambda v: v["address"])
    assert backers == [{"delegator": PAYER.address, "tag": "finance"}]
    assert snap["tags"] == ["finance"]
    assert {"voter": PAYER.address, "via": [TRAINER.address]} in snap["paths"]


def test_a_role_shows_its_remaining_budget_for_the_period(tmp_path):
    from abci_app.chain.domain.roles.messages import ActAsRole, GrantRole
    from abci_app.chain.domain.accounts.messages import Transfer
    from tests.support.org_tools import decide, quick_org

    chain = TestChain(tmp_path / "db", balances={PAYER: 1_000, TRAINER: 100})
    org_id = quick_org(chain, PAYER, {PAYER: 1}, funds=500)
    decide(chain, PAYER, org_id, GrantRole(org_id, "treasurer", PAYER.address, ("transfer",), 100, 3_600,
                                           chain.time + 86_400))
    assert_ok(send(chain, PAYER, ActAsRole(org_id, "treasurer", Transfer(TRAINER.address, 30))))
    with make_api(chain) as client:
        found = Api(client).data('{ roles(organization: "%d") { name holder kinds remaining uses expired } }'
                                 % org_id)["roles"]
    chain.close()
    assert found == [{"name": "treasurer", "holder": PAYER.address, "kinds": ["transfer"], "remaining": "70",
                      "uses": 1, "expired": False}]


def test_a_parent_lists_its_sub_organizations_with_their_treasuries(tmp_path):
    from abci_app.chain.domain.organizations.messages import OrgMember
    from abci_app.chain.domain.suborgs.messages import CreateSubOrganization
    from tests.domain.organizations.support import threshold
    from tests.support.org_tools import decide, quick_org

    chain = TestChain(tmp_path / "db", balances={PAYER: 1_000, TRAINER: 100})
    parent = quick_org(chain, PAYER, {PAYER: 1}, funds=500)
    decide(chain, PAYER, parent, CreateSubOrganization(parent, "Noord", "", (OrgMember(TRAINER.address, 1),),
                                                       threshold(1), 200, 3_600))
    with make_api(chain) as client:
        found = Api(client).data('{ subOrganizations(parent: "%d") { parent vetoWindow organization '
                                 '{ name treasuryBalance members { address } } } }' % parent)["subOrganizations"]
    chain.close()
    assert found == [{"parent": str(parent), "vetoWindow": 3_600, "organization": {
        "name": "Noord", "treasuryBalance": "200", "members": [{"address": TRAINER.address}]}}]


def test_a_stream_shows_what_accrued_and_what_its_reserve_still_holds_and_filters_by_status(stream_api):
    found = stream_api.data('{ streams(address: "%s", status: "active") { accrued reserved } }'
                            % PAYER.address)["streams"]
    assert found == [{"accrued": "400", "reserved": "800"}]
    assert stream_api.data('{ streams(address: "%s", status: "stopped") { id } }' % PAYER.address)["streams"] == []


def test_an_organizations_delegations_list_whole_and_by_tag(tmp_path):
    from abci_app.chain.domain.delegation.messages import DelegateVote
    from tests.domain.organizations.support import create_org, threshold

    chain = TestChain(tmp_path / "db", balances={PAYER: 100, TRAINER: 100})
    org_id = create_org(chain, PAYER, {PAYER: 1, TRAINER: 1}, threshold(2))
    assert_ok(send(chain, PAYER, DelegateVote(org_id, TRAINER.address, "finance")))
    assert_ok(send(chain, TRAINER, DelegateVote(org_id, PAYER.address)))
    with make_api(chain) as client:
        api = Api(client)
        every = api.data('{ delegations(organization: "%d") { delegator delegate tag } }' % org_id)["delegations"]
        general = api.data('{ delegations(organization: "%d", tag: "") { delegator } }' % org_id)["delegations"]
    chain.close()
    assert sorted((d["delegator"], d["delegate"], d["tag"]) for d in every) == sorted(
        [(PAYER.address, TRAINER.address, "finance"), (TRAINER.address, PAYER.address, "")])
    assert general == [{"delegator": TRAINER.address}]


def test_a_child_names_its_parent_and_an_ordinary_organization_has_none(tmp_path):
    from abci_app.chain.domain.organizations.messages import OrgMember
    from abci_app.chain.domain.suborgs.messages import CreateSubOrganization
    from tests.domain.organizations.support import threshold
    from tests.support.org_tools import decide, quick_org

    chain = TestChain(tmp_path / "db", balances={PAYER: 1_000, TRAINER: 100})
    parent = quick_org(chain, PAYER, {PAYER: 1}, funds=500)
    decide(chain, PAYER, parent, CreateSubOrganization(parent, "Noord", "", (OrgMember(TRAINER.address, 1),),
                                                       threshold(1), 0, 3_600))
    with make_api(chain) as client:
        api = Api(client)
        up = api.data('{ parentOrganization(child: "%d") { parent vetoWindow organization { id } } }'
                      % (parent + 1))["parentOrganization"]
        none = api.data('{ parentOrganization(child: "%d") { parent } }' % parent)["parentOrganization"]
    chain.close()
    assert up == {"parent": str(parent), "vetoWindow": 3_600, "organization": {"id": str(parent)}}
    assert none is None
