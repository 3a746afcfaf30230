"""Requests and offers: posting, offering, withdrawing, accepting, expiring."""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.events import AgreementMade
from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.market.events import OfferMade, RequestClosed, RequestPosted
from abci_app.chain.domain.market.messages import (AcceptOffer, MakeOffer, MilestoneSpec, PostRequest, WithdrawOffer,
                                             WithdrawRequest)
from abci_app.chain.domain.market.state import OfferStatus, RequestStatus
from abci_app.chain.errors import (DeadlinePassed, DocumentNotFound, EmptyText, InsufficientFunds, InvalidArbiter,
                             InvalidExpiry, InvalidMilestones, InvalidTags, NotProvider, NotRequester, OfferClosed,
                             OfferNotFound, PriceAboveBudget, ProjectNotFound, RequestClosed as RequestClosedError,
                             RequestNotFound, SelfDealing, TooManyDocuments, ZeroAmount)
from tests.support.market import DAY, doc_hash, event, offer_msg, request_msg


def post(market, requester, **kw) -> int:
    return event(market.ok(requester, request_msg(market.now, **kw)), RequestPosted).request_id


def offer(market, provider, request_id, **kw) -> int:
    return event(market.ok(provider, offer_msg(request_id, market.now, **kw)), OfferMade).offer_id


def test_a_posted_request_is_open_with_sorted_tags_and_counts_its_transaction(market, requester):
    request_id = post(market, requester, tags=("training", "first-aid"))
    request = market_request(market, request_id)
    assert request.status is RequestStatus.OPEN
    assert request.requester == requester.address
    assert request.tags == ("first-aid", "training")
    assert (request.txs, request.posted_at) == (1, market.now)


def market_request(m, request_id):
    return mkt.get_request(m.state, request_id)


def test_a_request_needs_a_title_valid_tags_and_an_expiry_in_the_offer_window(market, requester):
    now = market.now
    market.fails(requester, request_msg(now, title=" "), EmptyText)
    market.fails(requester, request_msg(now, tags=("First Aid",)), InvalidTags)
    market.fails(requester, request_msg(now, tags=("a", "a")), InvalidTags)
    market.fails(requester, request_msg(now, tags=tuple(f"t{i}" for i in range(9))), InvalidTags)
    market.fails(requester, request_msg(now, offers_until=now), InvalidExpiry)
    market.fails(requester, request_msg(now, offers_until=now + 91 * DAY), InvalidExpiry)


def test_a_request_may_only_cite_published_documents_and_existing_projects(market, requester):
    market.fails(requester, request_msg(market.now, documents=(doc_hash(1),)), DocumentNotFound)
    market.fails(requester, request_msg(market.now, documents=(doc_hash(1),) * 2), TooManyDocuments)
    market.fails(requester, request_msg(market.now, project_id=9), ProjectNotFound)


def test_an_offer_opens_on_an_open_request_and_stamps_the_first_offer_time(market, requester, provider, rival):
    request_id = post(market, requester)
    offer(market, provider, request_id)
    first = market.now
    offer(market, rival, request_id, price=900)
    request = market_request(market, request_id)
    assert request.first_offer_at == first
    assert request.offer_count == 2 and request.txs == 3
    assert mkt.open_offer_ids(market.state, request_id) == [1, 2]


def test_offers_are_checked_against_parties_budget_deadlines_and_milestones(market, requester, provider, arbiter):
    request_id = post(market, requester)
    now = market.now
    market.fails(requester, offer_msg(request_id, now), SelfDealing)
    market.fails(provider, offer_msg(request_id, now, arbiter=provider.address), InvalidArbiter)
    market.fails(provider, offer_msg(request_id, now, arbiter=requester.address), InvalidArbiter)
    market.fails(provider, offer_msg(request_id, now, price=1_001), PriceAboveBudget)
    market.fails(provider, offer_msg(request_id, now, price=0), ZeroAmount)
    market.fails(provider, offer_msg(request_id, now, deadline=now - 1), DeadlinePassed)
    market.fails(provider, offer_msg(request_id, now, deadline=now + 800 * DAY), InvalidExpiry)
    bad_sum = (MilestoneSpec("one", 100, now + DAY), MilestoneSpec("two", 100, now + 2 * DAY))
    market.fails(provider, offer_msg(request_id, now, milestones=bad_sum), InvalidMilestones)
    late = (MilestoneSpec("one", 800, now + 15 * DAY),)
    market.fails(provider, offer_msg(request_id, now, milestones=late), InvalidMilestones)
    market.fails(provider, offer_msg(request_id, now, terms=doc_hash(5)), DocumentNotFound)
    market.fails(provider, offer_msg(99, now), RequestNotFound)


def test_only_the_provider_may_withdraw_an_open_offer(market, requester, provider, outsider):
    request_id = post(market, requester)
    offer_id = offer(market, provider, request_id)
    market.fails(outsider, WithdrawOffer(offer_id), NotProvider)
    market.ok(provider, WithdrawOffer(offer_id))
    assert _offer(market, offer_id).status is OfferStatus.WITHDRAWN
    market.fails(provider, WithdrawOffer(offer_id), OfferClosed)
    market.fails(requester, AcceptOffer(offer_id), OfferClosed)
    market.fails(provider, WithdrawOffer(77), OfferNotFound)


def _offer(m, offer_id):
    return mkt.get_offer(m.state, offer_id)


def _offer_status(m, offer_id):
    """The offer's status as of the last block (other offers of a closed request close lazily)."""
    return mkt.offer_status(m.state, _offer(m, offer_id), m.now)


def test_only_the_requester_may_withdraw_a_request_and_its_offers_close(market, requester, provider, outsider):
    request_id = post(market, requester)
    offer_id = offer(market, provider, request_id)
    market.fails(outsider, WithdrawRequest(request_id), NotRequester)
    market.ok(requester, WithdrawRequest(request_id))
    assert market_request(market, request_id).status is RequestStatus.WITHDRAWN
    assert _offer_status(market, offer_id) is OfferStatus.CLOSED
    market.fails(requester, WithdrawRequest(request_id), RequestClosedError)
    market.fails(provider, offer_msg(request_id, market.now), RequestClosedError)
    market.fails(requester, AcceptOffer(offer_id), OfferClosed)


def test_accepting_an_offer_escrows_the_price_and_closes_the_request_and_other_offers(market, requester, provider, rival):
    request_id = post(market, requester)
    chosen = offer(market, provider, request_id, price=700)
    other = offer(market, rival, request_id)
    before = accounts.balance(market.state, requester.address)
    outcome = market.ok(requester, AcceptOffer(chosen))
    made = event(outcome, AgreementMade)
    assert accounts.balance(market.state, requester.address) == before - 700
    assert accounts.balance(market.state, agreements.ESCROW) == 700
    assert market_request(market, request_id).status is RequestStatus.ACCEPTED
    assert market_request(market, request_id).agreement_id == made.agreement_id
    assert _offer(market, chosen).status is OfferStatus.ACCEPTED
    assert _offer_status(market, other) is OfferStatus.CLOSED
    agreement = agreements.get(market.state, made.agreement_id)
    assert (agreement.requester, agreement.provider, agreement.escrow) == (requester.address, provider.address, 700)
    assert agreement.txs == 4 and agreement.tags == ("first-aid", "training")


def test_only_the_requester_may_accept_and_only_while_funded(market, requester, provider, rival):
    request_id = post(market, requester, budget=0)
    offer_id = offer(market, provider, request_id, price=500_000)
    market.fails(rival, AcceptOffer(offer_id), NotRequester)
    market.fails(requester, AcceptOffer(offer_id), InsufficientFunds)
    assert market_request(market, request_id).status is RequestStatus.OPEN


def test_a_request_expires_by_block_time_and_closes_its_offers(market, requester, provider):
    request_id = post(market, requester, offers_until=market.now + DAY)
    offer_id = offer(market, provider, request_id)
    expiry = market_request(market, request_id).offers_until
    market.tick(expiry - 1)
    assert market_request(market, request_id).status is RequestStatus.OPEN
    result = market.tick(expiry)
    assert [e for e in result.events if isinstance(e, RequestClosed)] == [RequestClosed(request_id, "expired")]
    assert market_request(market, request_id).status is RequestStatus.EXPIRED
    assert _offer_status(market, offer_id) is OfferStatus.CLOSED
    assert mkt.due_requests(market.state, expiry + 10 * DAY) == []


def test_an_offer_cannot_be_accepted_after_its_deadline_has_passed(market, requester, provider):
    request_id = post(market, requester, offers_until=market.now + 30 * DAY)
    offer_id = offer(market, provider, request_id, deadline=market.now + DAY)
    market.fails(requester, AcceptOffer(offer_id), DeadlinePassed, time=market.now + 2 * DAY)


def test_a_request_cannot_take_offers_in_the_block_that_reaches_its_expiry(market, requester, provider):
    request_id = post(market, requester, offers_until=market.now + DAY)
    expiry = market_request(market, request_id).offers_until
    outcome = market.run(provider, offer_msg(request_id, expiry), time=expiry)
    assert (outcome.codespace, outcome.code) == ("market", RequestClosedError.code)
    assert market_request(market, request_id).status is RequestStatus.EXPIRED
