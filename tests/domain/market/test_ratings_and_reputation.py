"""Ratings after settlement, reputation counters and the decaying score."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.agreements.messages import (AcceptMilestone, DeliverMilestone, DisputeMilestone, RateAgreement,
                                                 ResolveDispute)
from abci_app.chain.domain.market.params import MarketParams
from abci_app.chain.domain.reputation import decay, state as reputation
from abci_app.chain.errors import AgreementNotFound, AgreementNotSettled, AlreadyRated, InvalidScore, NotParty
from tests.support.market import DAY, doc_hash, make_agreement

HALF_LIFE = MarketParams().reputation_half_life


def completed(market, requester, provider, fee: int = 15, **kw) -> int:
    """An agreement delivered and accepted, the two settling transactions paying ``fee`` each."""
    agreement_id = make_agreement(market, requester, provider, **kw)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)), fee=fee)
    market.ok(requester, AcceptMilestone(agreement_id, 0), fee=fee)
    return agreement_id


def test_each_party_rates_the_other_once_after_settlement(market, requester, provider, outsider):
    agreement_id = make_agreement(market, requester, provider)
    market.fails(requester, RateAgreement(agreement_id, 5), AgreementNotSettled)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, AcceptMilestone(agreement_id, 0))
    market.fails(outsider, RateAgreement(agreement_id, 5), NotParty)
    market.fails(requester, RateAgreement(agreement_id, 6), InvalidScore)
    market.fails(requester, RateAgreement(agreement_id, 0), InvalidScore)
    market.fails(requester, RateAgreement(99, 3), AgreementNotFound)
    market.ok(requester, RateAgreement(agreement_id, 5, doc_hash("nice")))
    market.fails(requester, RateAgreement(agreement_id, 4), AlreadyRated)
    market.ok(provider, RateAgreement(agreement_id, 4))
    got = reputation.get(market.state, provider.address)
    assert (got.counts.ratings_received, got.counts.rating_sum) == (1, 5)


def test_a_completed_agreement_counts_for_both_parties_and_per_tag(market, requester, provider):
    completed(market, requester, provider)
    as_provider = reputation.get(market.state, provider.address)
    assert (as_provider.counts.completed_as_provider, as_provider.counts.on_time) == (1, 1)
    assert as_provider.score == 15_000
    assert reputation.get(market.state, requester.address).counts.completed_as_requester == 1
    assert reputation.get(market.state, provider.address, "first-aid").counts.completed_as_provider == 1
    assert reputation.tags(market.state, provider.address) == ["first-aid", "training"]


def test_a_broken_agreement_counts_against_the_provider(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, deadline=market.now + DAY)
    market.tick(market.now + 40 * DAY)
    rep = reputation.get(market.state, provider.address)
    assert rep.counts.broken == 1 and rep.score == -20_000
    assert reputation.get(market.state, requester.address).counts.completed_as_requester == 0
    assert agreement_id


def test_disputes_count_as_opened_won_and_lost(market, requester, provider, arbiter):
    agreement_id = make_agreement(market, requester, provider, arbiter=arbiter.address)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, DisputeMilestone(agreement_id, 0))
    market.ok(arbiter, ResolveDispute(agreement_id, 0, 8_000))
    req, prov = (reputation.get(market.state, p.address).counts for p in (requester, provider))
    assert (req.disputes_opened, req.disputes_lost, req.disputes_won) == (1, 1, 0)
    assert (prov.disputes_opened, prov.disputes_won, prov.disputes_lost) == (0, 1, 0)
    assert reputation.get(market.state, arbiter.address).counts == reputation.Counts()


def test_an_agreement_without_fees_earns_no_points_but_is_still_counted(market, requester, provider):
    completed(market, requester, provider, fee=0)
    rep = reputation.get(market.state, provider.address)
    assert rep.counts.completed_as_provider == 1 and rep.score == 0


def test_gains_grow_with_settled_value_and_fees_up_to_the_rules_points(market, requester, provider, rival):
    completed(market, requester, provider, fee=4, price=100)     # fees 8 -> 4 points each at most
    assert reputation.get(market.state, provider.address).score == 4_000
    completed(market, requester, rival, fee=500, price=50)       # value 50 -> 5 points at most
    assert reputation.get(market.state, rival.address).score == 5_000


def test_a_good_rating_adds_only_what_the_deals_gain_cap_has_left(market, requester, provider):
    agreement_id = completed(market, requester, provider, fee=8)  # cap 8 points: settlement used 8 (of 15)
    before = reputation.get(market.state, provider.address)
    assert before.score == 8_000
    market.ok(requester, RateAgreement(agreement_id, 5))
    after = reputation.get(market.state, provider.address)
    assert after.counts.rating_sum == 5 and after.score == reputation.score_at(before, after.score_time, HALF_LIFE)
    before = reputation.get(market.state, requester.address)
    market.ok(provider, RateAgreement(agreement_id, 1))           # bad ratings always count
    after = reputation.get(market.state, requester.address)
    assert after.score == reputation.score_at(before, after.score_time, HALF_LIFE) - 4_000


def test_two_keys_farming_reputation_pay_at_least_the_stated_fee_per_point(market, requester, provider):
    """The figure in docs/lifecycles.md: points gained by both keys together cost >= reputation_fee_per_point each."""
    paid = 0
    for fee in (0, 1, 7, 15, 40):
        agreement_id = make_agreement(market, requester, provider, price=150)
        market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)), fee=fee)
        market.ok(requester, AcceptMilestone(agreement_id, 0), fee=fee)
        market.ok(requester, RateAgreement(agreement_id, 5), fee=fee)
        market.ok(provider, RateAgreement(agreement_id, 5), fee=fee)
        paid += 4 * fee
    points = sum(reputation.get(market.state, k.address).score for k in (requester, provider)) // reputation.MILLI
    assert points > 0
    assert paid >= points * MarketParams().reputation_fee_per_point


def test_the_score_halves_every_half_life_of_block_time(market, requester, provider):
    completed(market, requester, provider)
    rep = reputation.get(market.state, provider.address)
    assert reputation.score_at(rep, rep.score_time + HALF_LIFE, HALF_LIFE) == 7_500
    assert reputation.score_at(rep, rep.score_time + 2 * HALF_LIFE, HALF_LIFE) == 3_750


@pytest.mark.parametrize("k", [1, 7, 16, 32, 48, 63])
def test_the_decay_table_matches_two_to_the_minus_k_over_64(k):
    exact = 2 ** (-k / 64) * 2 ** decay.FRAC_BITS   # floats only in the test, as a reference
    assert abs(decay.TABLE[k] - exact) <= 1


def test_decay_is_monotone_and_close_to_the_exponential_between_table_points():
    value, half_life = 1_000_000_000, 90 * DAY
    previous = value
    for elapsed in range(0, 3 * half_life, half_life // 97):
        now = decay.decay(value, elapsed, half_life)
        assert now <= previous
        assert abs(now - value * 2 ** (-elapsed / half_life)) <= value // 50_000 + 1
        previous = now


def test_negative_scores_decay_toward_zero_like_positive_ones():
    assert decay.decay(-20_000, 90 * DAY, 90 * DAY) == -10_000
    assert decay.decay(-20_000, 0, 90 * DAY) == -20_000
