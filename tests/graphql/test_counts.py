"""``counts``: exact numbers beyond a page, from counters and key counts (never a listing).

The API here serves at most 2 objects a page (``max_first=2``), the chain holds more of each
kind, and every count must still be exact: checked against the chain's state.
"""

from __future__ import annotations

import pytest

from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone
from tests.graphql.conftest import Api, make_api
from tests.support.chain import TestChain, key
from tests.support.market import Market, doc_hash, make_agreement, request_msg

PEOPLE = [key(40 + i) for i in range(5)]
COUNTS = "{ counts { blockNumber accounts organizations requests openRequests offers agreements openAgreements " \
         "settled { outcome count } } _meta { block { number } } }"


@pytest.fixture
def market(tmp_path):
    chain = TestChain(tmp_path / "db", balances={k: 100_000 for k in PEOPLE})
    m = Market(chain)
    made = [make_agreement(m, PEOPLE[i % 5], PEOPLE[(i + 1) % 5], price=100 + i) for i in range(5)]
    for agreement_id in made[:3]:
        provider = PEOPLE[(made.index(agreement_id) + 1) % 5]
        m.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(agreement_id)))
        m.ok(PEOPLE[made.index(agreement_id) % 5], AcceptMilestone(agreement_id, 0))
    for i in range(3):
        m.ok(PEOPLE[i], request_msg(m.now, title=f"open {i}"))
    yield m
    chain.close()


@pytest.fixture
def api(market):
    with make_api(market.chain, max_first=2) as client:
        yield Api(client)


def test_counts_are_exact_beyond_a_page(api, market):
    data = api.data(COUNTS)
    counts = data["counts"]
    assert counts["blockNumber"] == data["_meta"]["block"]["number"]
    assert len(api.data("{ agreements(first: 2) { id } }")["agreements"]) == 2        # a page holds 2
    assert counts["agreements"] == 5 and counts["openAgreements"] == 2
    assert counts["settled"] == [{"outcome": "completed", "count": 3}]
    assert counts["requests"] == 8 and counts["openRequests"] == 3 and counts["offers"] == 5
    assert counts["organizations"] == 0
    accounts = sum(1 for _ in market.state.iter_prefix(b"acc/"))
    assert counts["accounts"] == accounts == len(PEOPLE) + 1        # the people and the escrow account


def test_the_settled_count_follows_a_new_settlement(api, market):
    before = api.data(COUNTS)["counts"]
    agreement_id = 4
    market.ok(PEOPLE[4], DeliverMilestone(agreement_id, 0, doc_hash("late")))
    market.ok(PEOPLE[3], AcceptMilestone(agreement_id, 0))
    after = api.data(COUNTS)["counts"]
    assert after["openAgreements"] == before["openAgreements"] - 1
    assert after["settled"] == [{"outcome": "completed", "count": 4}]
