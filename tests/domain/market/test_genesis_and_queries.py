"""The genesis ``market`` section and the ABCI query paths of the market family."""

from __future__ import annotations

import json

import pytest

from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone
from abci_app.chain.domain.documents.messages import PublishDocument
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.domain.projects.messages import CreateProject
from abci_app.chain.errors import NotFound, UnknownQuery
from tests.support.chain import TestChain, key
from tests.support.market import DAY, doc_hash, make_agreement


def test_the_genesis_market_section_sets_the_windows(tmp_path):
    chain = TestChain(tmp_path / "db", balances={key(1): 10}, extra_genesis={"market": {"review_window": DAY}})
    try:
        got = market_params.get(chain.state)
        assert got.review_window == DAY and got.arbitration_window == market_params.MarketParams().arbitration_window
    finally:
        chain.close()


@pytest.mark.parametrize("section", [{"review_window": 0}, {"dispute_bond_bps": 10_001}, {"nope": 1},
                                     {"default_provider_bps": 5_000},
                                     {"reclaim_window": -5}, {"review_window": True}, [1]])
def test_an_invalid_market_section_is_refused(section):
    with pytest.raises(ValueError):
        market_params.parse(section)


def query(market, path: str):
    result = market.chain.app.query(path, b"")
    return result


def test_objects_are_served_on_their_query_paths(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, AcceptMilestone(agreement_id, 0))
    market.ok(requester, CreateProject("Course", "", 100))
    market.ok(requester, PublishDocument(doc_hash(2), "Plan", "text/plain"))
    assert json.loads(query(market, "/request/1").value)["status"] == "accepted"
    assert json.loads(query(market, "/offer/1").value)["price"] == 800
    assert json.loads(query(market, f"/agreement/{agreement_id}").value)["outcome"] == "completed"
    assert json.loads(query(market, "/project/1").value)["project"]["budget"] == 100
    assert len(json.loads(query(market, "/project/1/history").value)) == 1
    assert json.loads(query(market, f"/document/{doc_hash(2).hex()}").value)["document"]["title"] == "Plan"
    rep = json.loads(query(market, f"/reputation/{provider.address}").value)
    assert rep["counts"]["completed_as_provider"] == 1 and rep["tags"] == ["first-aid", "training"]
    assert json.loads(query(market, f"/friction/agreement/{agreement_id}").value)["txs"] == 5
    (week,) = json.loads(query(market, "/friction/week/all").value)
    assert week["agreements"] == 1 and week["to_settlement"]["count"] == 1
    assert json.loads(query(market, f"/friction/day/org/{requester.address}").value)[0]["value"] == 800


def test_unknown_objects_and_paths_get_clear_query_errors(market):
    missing = query(market, "/agreement/7")
    assert (missing.codespace, missing.code) == (NotFound.codespace, NotFound.code) and missing.log
    bad = query(market, "/friction/month/all")
    assert (bad.codespace, bad.code) == (UnknownQuery.codespace, UnknownQuery.code)
    assert query(market, "/request/x").code == UnknownQuery.code
    assert query(market, "/document/zz").code == NotFound.code
