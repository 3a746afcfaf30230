"""Agreements and friction figures over GraphQL, built with the market tests' own helpers."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone
from abci_app.chain.domain.friction import state as friction
from tests.graphql.conftest import Api, make_api
from tests.graphql.test_subscriptions import next_payload, open_ws, subscribe
from tests.support.chain import TestChain, key
from tests.support.market import Market, doc_hash, make_agreement

REQUESTER, PROVIDER, RIVAL = key(21), key(22), key(23)


@pytest.fixture
def market(tmp_path):
    chain = TestChain(tmp_path / "db", balances={k: 100_000 for k in (REQUESTER, PROVIDER, RIVAL)})
    m = Market(chain)
    first = make_agreement(m, REQUESTER, PROVIDER, price=800)
    make_agreement(m, REQUESTER, RIVAL, price=300)
    make_agreement(m, RIVAL, PROVIDER, price=500)
    m.ok(PROVIDER, DeliverMilestone(first, 0, doc_hash("report")))
    m.ok(REQUESTER, AcceptMilestone(first, 0))
    yield m
    chain.close()


@pytest.fixture
def api(market):
    with make_api(market.chain) as client:
        yield Api(client)


def ids(api, where: str, extra: str = "") -> list[str]:
    return [a["id"] for a in api.data("{ agreements(where: %s%s) { id } }" % (where, extra))["agreements"]]


def test_agreements_by_party_come_from_the_party_index_in_id_order(api):
    assert ids(api, '{party: "%s"}' % PROVIDER.address) == ["1", "3"]
    assert ids(api, '{requester: "%s"}' % RIVAL.address) == ["3"]
    assert ids(api, '{party: "%s"}' % RIVAL.address, ", orderDirection: desc") == ["3", "2"]


def test_agreements_filter_by_settlement_and_outcome(api):
    assert ids(api, "{settled: true}") == ["1"]
    assert ids(api, '{outcome: "completed", party: "%s"}' % REQUESTER.address) == ["1"]
    assert ids(api, "{settled: false}") == ["2", "3"]


def test_agreements_filter_by_id_range_outcomes_tag_project_and_arbiter(api):
    assert ids(api, '{id_gt: "1"}') == ["2", "3"]
    assert ids(api, '{id_lt: "3"}', ", orderDirection: desc") == ["2", "1"]
    assert ids(api, '{outcome_in: ["completed", "broken"]}') == ["1"]
    assert ids(api, '{tag: "training"}') == ["1", "2", "3"] and ids(api, '{tag: "carpentry"}') == []
    assert ids(api, '{project: "0"}') == ["1", "2", "3"] and ids(api, '{project: "7"}') == []
    assert ids(api, '{arbiter: "%s"}' % RIVAL.address) == []


def test_agreement_pages_chain_through_cursors(api):
    page = api.data("{ agreements(first: 2) { id cursor } }")["agreements"]
    rest = api.data("query($c: String) { agreements(after: $c) { id } }", {"c": page[-1]["cursor"]})["agreements"]
    assert [a["id"] for a in page + rest] == ["1", "2", "3"]


def test_a_settled_agreement_shows_milestones_escrow_and_its_friction_figures(api):
    a = api.data('{ agreement(id: "1") { status price escrow requester provider '
                 'milestones { index status amount toProvider } friction { outcome price txs onTime } } }')["agreement"]
    assert a["status"] == "completed" and a["escrow"] == "0" and a["price"] == "800"
    assert a["milestones"][0]["status"] == "completed" and a["milestones"][0]["toProvider"] == "800"
    assert a["friction"]["outcome"] == "completed" and a["friction"]["price"] == "800"


def test_friction_aggregates_equal_what_the_chain_state_implies(api, market):
    expected = friction.series(market.state, "all", "day")
    got = api.data("{ friction(period: day) { period agreements completed value toSettlement { count median p90 } } }")
    assert [(p["period"], p["agreements"], p["completed"], int(p["value"])) for p in got["friction"]] == \
        [(period, agg.agreements, agg.completed, agg.value) for period, agg in expected]
    summary = friction.summary(expected[0][1])["to_settlement"]
    assert got["friction"][0]["toSettlement"] == {k: summary[k] for k in ("count", "median", "p90")}
    by_requester = api.data('{ friction(organization: "%s") { agreements } }' % REQUESTER.address)["friction"]
    assert sum(p["agreements"] for p in by_requester) == 1


def test_agreement_updated_streams_each_change_of_an_agreement(market):
    with make_api(market.chain) as client:
        ws = open_ws(client)
        subscribe(ws, "a", 'subscription { agreementUpdated(id: "3", fromHeight: %d) '
                           '{ id status milestones { status } } }' % (market.chain.height + 1))
        market.ok(PROVIDER, DeliverMilestone(3, 0, doc_hash("work")))
        update = next_payload(ws)["payload"]["data"]["agreementUpdated"]
        assert update == {"id": "3", "status": "open", "milestones": [{"status": "delivered"}]}
        market.ok(RIVAL, AcceptMilestone(3, 0))
        assert next_payload(ws)["payload"]["data"]["agreementUpdated"]["status"] == "completed"
        ws.__exit__(None, None, None)
