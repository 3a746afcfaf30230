"""Organizations and proposals over GraphQL, built with the organization tests' own helpers."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.proposals.messages import YES
from abci_app.chain.domain.organizations import state as orgs
from tests.domain.organizations.support import (VOTING_PERIOD, advance, create_org, propose, send, threshold,
                                              vote)
from tests.graphql.conftest import Api, make_api
from tests.graphql.test_subscriptions import next_payload, open_ws, subscribe
from tests.support.chain import TestChain, key

PEOPLE = [key(n) for n in range(11, 14)]


@pytest.fixture
def org_chain(tmp_path):
    chain = TestChain(tmp_path / "db", balances={p: 100_000 for p in PEOPLE})
    a, b, c = PEOPLE
    first = create_org(chain, a, {a: 2, b: 1}, threshold(3))
    create_org(chain, c, {c: 1}, name="Tweede")
    send(chain, a, Transfer(orgs.get(chain.state, first).treasury, 500))
    pid = propose(chain, a, first, Transfer(c.address, 200), title="pay carol")
    vote(chain, a, pid, YES, "fine")
    vote(chain, b, pid, YES)
    propose(chain, b, first, Transfer(b.address, 1), title="pay bob")
    yield chain
    chain.close()


@pytest.fixture
def org_api(org_chain):
    with make_api(org_chain) as client:
        yield Api(client)


def test_organizations_show_members_weights_policy_and_treasury(org_api):
    found = org_api.data("{ organizations { id name status totalWeight members { address weight } "
                         "policy { kind threshold } treasuryBalance } }")["organizations"]
    assert [o["id"] for o in found] == ["1", "2"]
    assert found[0]["totalWeight"] == "3" and found[0]["policy"]["threshold"] == 3
    assert {m["address"]: m["weight"] for m in found[0]["members"]} == {PEOPLE[0].address: "2", PEOPLE[1].address: "1"}
    assert found[0]["treasuryBalance"] == "500"   # the passed payment waits for its execution delay


def test_organizations_filter_by_member(org_api):
    found = org_api.data('{ organizations(where: {member: "%s"}) { name } }' % PEOPLE[2].address)["organizations"]
    assert [o["name"] for o in found] == ["Tweede"]


def test_proposals_of_an_organization_carry_tally_votes_and_actions(org_api):
    props = org_api.data('{ proposals(where: {organization: "1"}) { id title status yes totalWeight actions '
                         'votes { voter weight reason } } }')["proposals"]
    assert [p["title"] for p in props] == ["pay carol", "pay bob"]
    first = props[0]
    assert first["yes"] == "3" and first["totalWeight"] == "3" and first["status"] != "voting"
    assert '"kind":"transfer"' in first["actions"][0]
    assert {v["voter"]: v["reason"] for v in first["votes"]} == {PEOPLE[0].address: "fine", PEOPLE[1].address: ""}


def test_proposals_filter_by_status_and_page_descending(org_api):
    voting = org_api.data('{ proposals(where: {status: "voting"}) { title } }')["proposals"]
    assert [p["title"] for p in voting] == ["pay bob"]
    page = org_api.data("{ proposals(first: 1, orderDirection: desc) { id cursor } }")["proposals"]
    rest = org_api.data('query($c: String) { proposals(after: $c, orderDirection: desc) { id } }',
                        {"c": page[0]["cursor"]})["proposals"]
    assert [p["id"] for p in page + rest] == ["2", "1"]


def test_a_proposal_at_an_earlier_block_shows_its_tally_then(org_api, org_chain):
    now = org_api.data('{ proposal(id: "1") { yes } _meta { block { number } } }')
    before = org_api.data('query($h: Int) { proposal(id: "1", block: {number: $h}) { yes status } }',
                          {"h": now["_meta"]["block"]["number"] - 2})
    assert before["proposal"] == {"yes": "2", "status": "voting"}


def test_proposal_updated_streams_each_change_of_a_proposal(org_chain):
    with make_api(org_chain) as client:
        ws = open_ws(client)
        subscribe(ws, "p", 'subscription { proposalUpdated(id: "2", fromHeight: %d) { id yes status } }'
                  % (org_chain.height + 1))
        vote(org_chain, PEOPLE[0], 2, YES)
        assert next_payload(ws)["payload"]["data"]["proposalUpdated"] == {"id": "2", "yes": "2", "status": "voting"}
        advance(org_chain, VOTING_PERIOD + 1)
        update = next_payload(ws)["payload"]["data"]["proposalUpdated"]
        assert update["id"] == "2" and update["status"] != "voting"
        ws.__exit__(None, None, None)
