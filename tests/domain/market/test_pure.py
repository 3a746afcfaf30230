"""Market handlers, pure: a request, an offer and its acceptance against a ``Delta`` over an in-memory base."""

from __future__ import annotations

from abci_app.chain import errors
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.messages import AcceptOffer
from tests.support.chain import key
from tests.support.market import offer_msg, request_msg
from tests.support.pure import PureChain

ALICE, PIM = key(1), key(2)


def test_an_accepted_offer_moves_its_price_into_escrow_and_closes_the_request():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    world.run(ALICE, request_msg(world.time))
    offer_events = world.run(PIM, offer_msg(1, world.time, price=800))
    offer_id = offer_events[0].offer_id
    world.run(ALICE, AcceptOffer(offer_id))
    assert accounts.balance(world.state, ALICE.address) == 5_000 - 800
    assert market.get_request(world.state, 1).status != "open"


def test_an_offer_above_the_budget_and_a_provider_accepting_are_rejected():
    world = PureChain({ALICE: 5_000, PIM: 1_000})
    world.run(ALICE, request_msg(world.time, budget=1_000))
    world.rejects(PIM, offer_msg(1, world.time, price=1_001), errors.PriceAboveBudget)
    offer_id = world.run(PIM, offer_msg(1, world.time))[0].offer_id
    world.rejects(PIM, AcceptOffer(offer_id), errors.NotRequester)
