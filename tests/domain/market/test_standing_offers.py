"""Standing offers: publish, take directly (escrow at once), withdraw."""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.events import AgreementMade
from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.market.events import StandingOfferPublished
from abci_app.chain.domain.market.messages import PublishStandingOffer, TakeStandingOffer, WithdrawStandingOffer
from abci_app.chain.errors import (InsufficientFunds, InvalidArbiter, InvalidExpiry, InvalidTags, NotProvider, SelfDealing,
                             StandingOfferClosed, StandingOfferNotFound)
from tests.support.market import DAY, event


def service(**kw) -> PublishStandingOffer:
    fields = dict(title="First-aid refresher", description="Half a day, up to 12 people", tags=("first-aid",),
                  price=300, delivery_seconds=10 * DAY)
    fields.update(kw)
    return PublishStandingOffer(**fields)


def publish(market, provider, **kw) -> int:
    return event(market.ok(provider, service(**kw)), StandingOfferPublished).standing_offer_id


def test_taking_a_standing_offer_makes_an_agreement_with_escrow_in_the_same_transaction(market, requester, provider):
    standing_id = publish(market, provider)
    outcome = market.ok(requester, TakeStandingOffer(standing_id))
    agreement = agreements.get(market.state, event(outcome, AgreementMade).agreement_id)
    assert agreement.standing_offer_id == standing_id and agreement.price == 300
    assert agreement.milestones[0].deadline == market.now + 10 * DAY
    assert accounts.balance(market.state, agreements.ESCROW) == 300
    assert mkt.get_standing(market.state, standing_id).taken == 1
    market.ok(requester, TakeStandingOffer(standing_id))
    assert accounts.balance(market.state, agreements.ESCROW) == 600


def test_a_standing_offer_is_checked_when_published(market, provider):
    market.fails(provider, service(delivery_seconds=0), InvalidExpiry)
    market.fails(provider, service(delivery_seconds=800 * DAY), InvalidExpiry)
    market.fails(provider, service(tags=("Bad Tag",)), InvalidTags)
    market.fails(provider, service(arbiter=provider.address), InvalidArbiter)


def test_nobody_takes_their_own_standing_offer_or_one_they_arbitrate(market, provider, arbiter):
    standing_id = publish(market, provider, arbiter=arbiter.address)
    market.fails(provider, TakeStandingOffer(standing_id), SelfDealing)
    market.fails(arbiter, TakeStandingOffer(standing_id), InvalidArbiter)
    market.fails(arbiter, TakeStandingOffer(42), StandingOfferNotFound)


def test_taking_needs_the_price_in_hand(market, requester, provider):
    standing_id = publish(market, provider, price=200_000)
    market.fails(requester, TakeStandingOffer(standing_id), InsufficientFunds)


def test_only_the_provider_withdraws_and_a_withdrawn_offer_cannot_be_taken(market, requester, provider):
    standing_id = publish(market, provider)
    market.fails(requester, WithdrawStandingOffer(standing_id), NotProvider)
    market.ok(provider, WithdrawStandingOffer(standing_id))
    market.fails(provider, WithdrawStandingOffer(standing_id), StandingOfferClosed)
    market.fails(requester, TakeStandingOffer(standing_id), StandingOfferClosed)
