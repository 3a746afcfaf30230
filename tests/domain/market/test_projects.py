"""Projects: budget in and out, requests paid from the budget, transfer offer lifecycle and what moves."""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.messages import AcceptMilestone, CancelAgreement, DeliverMilestone
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.market.events import OfferMade, RequestPosted
from abci_app.chain.domain.market.messages import AcceptOffer, TakeStandingOffer
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.events import ProjectCreated, ProjectTransferred
from abci_app.chain.domain.projects.messages import (AcceptProject, CreateProject, FundProject, OfferProject,
                                               WithdrawProjectBudget, WithdrawProjectOffer)
from abci_app.chain.errors import (InsufficientBudget, InsufficientFunds, InvalidExpiry, InvalidTransferTarget,
                             NoTransferOffer, NotParty, NotProjectOwner, NotRequester, NotTransferTarget, ProjectNotFound,
                             TransferPending)
from tests.support.market import DAY, doc_hash, event, make_agreement, offer_msg, request_msg

BALANCE = 100_000


def create(market, owner, budget=5_000) -> int:
    return event(market.ok(owner, CreateProject("First-aid course", "Train volunteers", budget)),
                 ProjectCreated).project_id


def project(market, project_id):
    return projects.get(market.state, project_id)


def test_creating_a_project_moves_its_budget_into_the_project_budget_account(market, requester):
    project_id = create(market, requester)
    assert project(market, project_id).budget == 5_000
    assert accounts.balance(market.state, projects.BUDGETS) == 5_000
    assert accounts.balance(market.state, requester.address) == BALANCE - 5_000
    assert [e.kind for e in projects.history(market.state, project_id)] == ["created"]
    market.fails(requester, CreateProject("Too big", "", 10 * BALANCE), InsufficientFunds)


def test_anyone_funds_a_project_and_only_the_owner_withdraws_uncommitted_budget(market, requester, outsider):
    project_id = create(market, requester)
    market.ok(outsider, FundProject(project_id, 1_000))
    market.fails(outsider, WithdrawProjectBudget(project_id, 100), NotProjectOwner)
    market.fails(requester, WithdrawProjectBudget(project_id, 6_001), InsufficientBudget)
    market.ok(requester, WithdrawProjectBudget(project_id, 6_000))
    assert project(market, project_id).budget == 0
    assert accounts.balance(market.state, requester.address) == BALANCE + 1_000
    market.fails(outsider, FundProject(99, 10), ProjectNotFound)


def test_a_request_under_a_project_is_paid_from_its_budget_and_refunds_return_there(market, requester, provider):
    project_id = create(market, requester, budget=1_000)
    agreement_id = make_agreement(market, requester, provider, {"project_id": project_id}, price=800)
    assert project(market, project_id).budget == 200
    assert accounts.balance(market.state, requester.address) == BALANCE - 1_000
    assert projects.open_agreements(market.state, project_id) == [agreement_id]
    market.ok(provider, CancelAgreement(agreement_id, agreements.get(market.state, agreement_id).revision))
    market.ok(requester, CancelAgreement(agreement_id, agreements.get(market.state, agreement_id).revision))
    assert project(market, project_id).budget == 1_000
    assert projects.open_agreements(market.state, project_id) == []


def test_only_the_owner_posts_under_a_project_and_the_budget_must_cover_the_price(market, requester, provider, outsider):
    project_id = create(market, requester, budget=500)
    market.fails(outsider, request_msg(market.now, project_id=project_id), NotProjectOwner)
    request_id = event(market.ok(requester, request_msg(market.now, project_id=project_id)), RequestPosted).request_id
    offer_id = event(market.ok(provider, offer_msg(request_id, market.now, price=800)), OfferMade).offer_id
    market.fails(requester, AcceptOffer(offer_id), InsufficientBudget)


def test_a_transfer_offer_needs_the_owner_a_new_target_and_an_expiry_in_the_window(market, requester, provider, outsider):
    project_id = create(market, requester)
    now = market.now
    market.fails(outsider, OfferProject(project_id, provider.address, now + DAY), NotProjectOwner)
    market.fails(requester, OfferProject(project_id, requester.address, now + DAY), InvalidTransferTarget)
    market.fails(requester, OfferProject(project_id, provider.address, now), InvalidExpiry)
    market.fails(requester, OfferProject(project_id, provider.address, now + 91 * DAY), InvalidExpiry)
    market.ok(requester, OfferProject(project_id, provider.address, now + DAY))
    market.fails(requester, OfferProject(project_id, outsider.address, now + DAY), TransferPending)


def test_only_the_target_accepts_and_a_withdrawn_offer_cannot_be_accepted(market, requester, provider, outsider):
    project_id = create(market, requester)
    market.ok(requester, OfferProject(project_id, provider.address, market.now + DAY))
    market.fails(outsider, AcceptProject(project_id), NotTransferTarget)
    market.fails(outsider, WithdrawProjectOffer(project_id), NotProjectOwner)
    market.ok(requester, WithdrawProjectOffer(project_id))
    market.fails(provider, AcceptProject(project_id), NoTransferOffer)
    market.fails(requester, WithdrawProjectOffer(project_id), NoTransferOffer)


def test_a_transfer_offer_expires_by_block_time(market, requester, provider):
    project_id = create(market, requester)
    market.ok(requester, OfferProject(project_id, provider.address, market.now + DAY))
    expiry = projects.get_offer(market.state, project_id).expires_at
    market.tick(expiry)
    assert projects.get_offer(market.state, project_id) is None
    assert projects.history(market.state, project_id)[-1].kind == "offer_expired"
    market.fails(provider, AcceptProject(project_id), NoTransferOffer)


def test_accepting_moves_budget_open_requests_agreements_documents_and_history(market, requester, provider, rival):
    project_id = create(market, requester, budget=3_000)
    agreement_id = make_agreement(market, requester, provider, {"project_id": project_id}, price=800)
    open_request = event(market.ok(requester, request_msg(market.now, project_id=project_id)), RequestPosted).request_id
    market.ok(requester, PublishDocument(doc_hash("plan"), "Plan", "text/markdown"))
    market.ok(requester, AttachDocument(doc_hash("plan"), "project", project_id))
    market.ok(requester, OfferProject(project_id, rival.address, market.now + 5 * DAY))
    outcome = market.ok(rival, AcceptProject(project_id))
    moved = event(outcome, ProjectTransferred)
    assert (moved.budget, moved.requests, moved.agreements, moved.documents) == (2_200, 1, 1, 1)
    assert project(market, project_id).owner == rival.address
    assert mkt.get_request(market.state, open_request).requester == rival.address
    assert agreements.get(market.state, agreement_id).requester == rival.address
    assert documents.get(market.state, doc_hash("plan")).owner == rival.address
    assert [e.kind for e in projects.history(market.state, project_id)][-1] == "transferred"
    assert projects.get_offer(market.state, project_id) is None
    market.fails(requester, WithdrawProjectBudget(project_id, 1), NotProjectOwner)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash("done")))
    market.fails(requester, AcceptMilestone(agreement_id, 0), NotParty)
    market.ok(rival, AcceptMilestone(agreement_id, 0))
    assert accounts.balance(market.state, provider.address) == BALANCE + 800




def test_the_new_owner_accepts_offers_on_moved_requests(market, requester, provider, rival):
    project_id = create(market, requester, budget=3_000)
    request_id = event(market.ok(requester, request_msg(market.now, project_id=project_id)), RequestPosted).request_id
    offer_id = event(market.ok(provider, offer_msg(request_id, market.now)), OfferMade).offer_id
    market.ok(requester, OfferProject(project_id, rival.address, market.now + DAY))
    market.ok(rival, AcceptProject(project_id))
    market.fails(requester, AcceptOffer(offer_id), NotRequester)
    market.ok(rival, AcceptOffer(offer_id))
    assert project(market, project_id).budget == 2_200


def test_a_transfer_to_a_party_of_a_project_agreement_is_refused(market, requester, provider):
    project_id = create(market, requester, budget=3_000)
    make_agreement(market, requester, provider, {"project_id": project_id})
    market.ok(requester, OfferProject(project_id, provider.address, market.now + DAY))
    market.fails(provider, AcceptProject(project_id), InvalidTransferTarget)


def test_a_standing_offer_can_be_paid_from_a_project(market, requester, provider):
    from abci_app.chain.domain.market.messages import PublishStandingOffer
    project_id = create(market, requester, budget=1_000)
    market.ok(provider, PublishStandingOffer("Refresher", "", ("first-aid",), 400, DAY))
    market.ok(requester, TakeStandingOffer(1, project_id))
    assert project(market, project_id).budget == 600
