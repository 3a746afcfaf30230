"""Streams (and the other organization tools) over GraphQL, on an in-process chain."""

from __future__ import annotations

import pytest

from abci_app.domain.streams.messages import ClaimStream, CreateStream
from tests.domain.organizations.support import assert_ok, send
from tests.graphql.conftest import Api, make_api
from tests.support.chain import TestChain, key

PAYER, TRAINER = key(51), key(52)


@pytest.fixture
def stream_api(tmp_path):
    chain = TestChain(tmp_path / "db", balances={PAYER: 10_000, TRAINER: 10})
    chain.block()
    start = chain.time + 5
    assert_ok(send(chain, PAYER, CreateStream(TRAINER.address, 100, 10, start, 0, 1_000)))
    assert_ok(send(chain, TRAINER, ClaimStream(1), time=start + 25))
    chain.block(time=start + 47)
    with make_api(chain) as client:
        yield Api(client)
    chain.close()


def test_a_stream_shows_what_was_claimed_and_what_is_claimable_now(stream_api):
    found = stream_api.data('{ streams(address: "%s") { id recipient claimed claimable total status } }'
                            % PAYER.address)["streams"]
    assert found == [{"id": "1", "recipient": TRAINER.address, "claimed": "200", "claimable": "200",
                      "total": "1000", "status": "active"}]
    received = stream_api.data('{ streams(address: "%s", received: true) { id } }' % TRAINER.address)["streams"]
    assert [s["id"] for s in received] == ["1"]


def test_recurring_cost_figures_count_the_active_streams_per_30_days(stream_api):
    cost = stream_api.data('{ recurringCost(scope: "org/%s") { active per30Days reserved paid } }'
                           % PAYER.address)["recurringCost"]
    assert cost == {"active": 1, "per30Days": str(100 * 2_592_000 // 10), "reserved": "800", "paid": "200"}
