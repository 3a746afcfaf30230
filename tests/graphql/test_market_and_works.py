"""Requests, offers, standing offers, documents, projects and reputation over GraphQL."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.domain.market.messages import PublishStandingOffer
from abci_app.chain.domain.projects.messages import CreateProject
from abci_app.chain.domain.reputation import state as reputation
from tests.graphql.conftest import Api, make_api
from tests.support.chain import TestChain, key
from tests.support.market import Market, doc_hash, make_agreement, offer_msg, request_msg

REQUESTER, PROVIDER, RIVAL = key(21), key(22), key(23)


@pytest.fixture
def market(tmp_path):
    chain = TestChain(tmp_path / "db", balances={k: 100_000 for k in (REQUESTER, PROVIDER, RIVAL)})
    m = Market(chain)
    done = make_agreement(m, REQUESTER, PROVIDER, price=800)
    # Reputation is paid for in deal fees (docs/lifecycles.md): a deal with no fee earns no points.
    m.ok(PROVIDER, DeliverMilestone(done, 0, doc_hash("report")), fee=20)
    m.ok(REQUESTER, AcceptMilestone(done, 0), fee=20)
    m.ok(RIVAL, request_msg(m.now, title="open request"))
    m.ok(PROVIDER, offer_msg(2, m.now))
    m.ok(PROVIDER, PublishStandingOffer("first aid course", "", ("ehbo",), 250, 86_400))
    m.ok(REQUESTER, PublishDocument(doc_hash(1), "contract", "application/pdf", "ipfs://x"))
    m.ok(REQUESTER, AttachDocument(doc_hash(1), "agreement", done))
    m.ok(RIVAL, CreateProject("verbouwing", "", 5_000))
    yield m
    chain.close()


@pytest.fixture
def api(market):
    with make_api(market.chain) as client:
        yield Api(client)


def test_requests_filter_by_status_and_requester(api):
    found = api.data('{ requests(where: {status: "open"}) { id requester title offerCount } }')["requests"]
    assert [(r["id"], r["requester"], r["offerCount"]) for r in found] == [("2", RIVAL.address, 1)]
    accepted = api.data('{ requests(where: {requester: "%s"}) { status agreement } }' % REQUESTER.address)
    assert accepted["requests"] == [{"status": "accepted", "agreement": "1"}]


def test_offers_filter_by_request_and_standing_offers_by_tag(api):
    offers = api.data('{ offers(where: {request: "2"}) { provider status } }')["offers"]
    assert offers == [{"provider": PROVIDER.address, "status": "open"}]
    standing = api.data('{ standingOffers(where: {tag: "ehbo"}) { title price open } }')["standingOffers"]
    assert standing == [{"title": "first aid course", "price": "250", "open": True}]


def test_a_document_and_its_attachment_to_an_agreement(api):
    doc = api.data('{ document(hash: "%s") { title owner uri supersededBy } }' % doc_hash(1).hex())["document"]
    assert doc == {"title": "contract", "owner": REQUESTER.address, "uri": "ipfs://x", "supersededBy": None}
    attached = api.data('{ attachments(kind: "agreement", id: "1") { contentHash attachedBy } }')["attachments"]
    assert attached == [{"contentHash": doc_hash(1).hex(), "attachedBy": REQUESTER.address}]


def test_a_project_shows_its_budget_and_history(api):
    found = api.data('{ projects(owner: "%s") { id title budget history { kind amount } } }' % RIVAL.address)
    project = found["projects"][0]
    assert project["budget"] == "5000" and project["history"][0]["kind"] == "created"


def test_reputation_counts_the_completed_agreement_overall_and_per_tag(api, market):
    found = api.data('{ reputation(address: "%s") { tag score counts { completedAsProvider } } }' % PROVIDER.address)
    overall = found["reputation"][0]
    assert overall["tag"] is None and overall["counts"]["completedAsProvider"] == 1
    assert overall["score"] <= reputation.get(market.state, PROVIDER.address).score
    assert overall["score"] > 0
