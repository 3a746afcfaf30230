"""Friction figures: per agreement from block times, and aggregates with bucketed percentiles."""

from __future__ import annotations

from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone
from abci_app.chain.domain.friction import state as friction
from abci_app.chain.domain.market.events import OfferMade, RequestPosted
from abci_app.chain.domain.market.messages import AcceptOffer
from tests.support.market import DAY, doc_hash, event, make_agreement, offer_msg, request_msg


def test_an_agreement_records_its_durations_transactions_and_fees(market, requester, provider, rival):
    posted = market.now + 5
    request_id = event(market.ok(requester, request_msg(posted), fee=3), RequestPosted).request_id
    offer_id = event(market.ok(provider, offer_msg(request_id, posted), fee=2, time=posted + 600), OfferMade).offer_id
    market.ok(rival, offer_msg(request_id, posted), time=posted + 700)
    market.ok(requester, AcceptOffer(offer_id), time=posted + 3_600)
    market.ok(provider, DeliverMilestone(1, 0, doc_hash(1)), time=posted + 2 * DAY, fee=1)
    market.ok(requester, AcceptMilestone(1, 0), time=posted + 3 * DAY)
    fig = friction.get_figures(market.state, 1)
    assert (fig.to_first_offer, fig.to_agreement, fig.to_delivery, fig.to_settlement) == (600, 3_600, 2 * DAY, 3 * DAY)
    assert (fig.txs, fig.fees) == (6, 6)
    assert (fig.outcome, fig.on_time, fig.disputed, fig.broken) == ("completed", True, False, False)


def test_aggregates_exist_network_wide_per_requester_and_per_tag_per_day_and_week(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider, price=800)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, AcceptMilestone(agreement_id, 0))
    settled = friction.get_figures(market.state, agreement_id).settled_at
    for scope in ("all", "org/" + requester.address, "tag/first-aid", "tag/training"):
        for kind in friction.KINDS:
            agg = friction.get_aggregate(market.state, scope, kind, friction.period(kind, settled))
            assert (agg.agreements, agg.completed, agg.value) == (1, 1, 800)
    assert friction.series(market.state, "org/" + provider.address, "day") == []


def test_weeks_start_on_monday():
    monday = 1_700_438_400          # 2023-11-20 00:00 UTC, a Monday
    assert friction.period("week", monday) == friction.period("week", monday + 7 * DAY - 1)
    assert friction.period("week", monday - 1) == friction.period("week", monday) - 1


def test_median_and_90th_percentile_come_from_the_fixed_buckets():
    histogram = [0] * (len(friction.BUCKETS) + 1)
    histogram[friction.bucket(30)] += 5            # five deals within a minute
    histogram[friction.bucket(2 * DAY)] += 4       # four within two days
    histogram[friction.bucket(400 * DAY)] += 1     # one beyond the last bound
    assert friction.percentile(tuple(histogram), 50) == 60
    assert friction.percentile(tuple(histogram), 90) == 2 * DAY
    assert friction.percentile(tuple(histogram), 100) == friction.OPEN_ENDED
    assert friction.percentile(tuple([0] * len(histogram)), 50) == -1


def test_a_summary_carries_counts_and_percentiles_of_every_duration(market, requester, provider):
    agreement_id = make_agreement(market, requester, provider)
    market.ok(provider, DeliverMilestone(agreement_id, 0, doc_hash(1)))
    market.ok(requester, AcceptMilestone(agreement_id, 0))
    (period, agg), = friction.series(market.state, "all", "week")
    summary = friction.summary(agg)
    assert summary["agreements"] == 1
    assert summary["to_settlement"]["count"] == 1 and summary["to_settlement"]["median"] == 60
