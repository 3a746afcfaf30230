"""GraphQL shows due-but-unprocessed items honestly: statuses are read as of the block's time (issue #12)."""

from __future__ import annotations

from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.market.state import RequestStatus
from tests.graphql.conftest import Api, make_api
from tests.support.chain import TestChain, key, ok
from tests.support.market import DAY, offer_msg, request_msg

POSTER, PROVIDER = key(31), key(32)


def test_a_request_waiting_in_the_expiry_queue_reads_expired_and_its_offers_closed(tmp_path):
    chain = TestChain(tmp_path / "db", balances={POSTER: 10**6, PROVIDER: 10**6},
                      extra_genesis={"market": {"max_due_per_block": 1}})
    until = chain.time + DAY
    ok(chain.block(chain.tx(POSTER, request_msg(chain.time, offers_until=until)),
                   chain.tx(POSTER, request_msg(chain.time, offers_until=until))))
    ok(chain.block(chain.tx(PROVIDER, offer_msg(1, chain.time)), chain.tx(PROVIDER, offer_msg(2, chain.time))))
    chain.block(time=until)                                          # the cap of 1: request 2 waits
    assert mkt.get_request(chain.state, 2).status is RequestStatus.OPEN
    with make_api(chain) as client:
        api = Api(client)
        requests = api.data('{ requests { id status } }')["requests"]
        offers = api.data('{ offers { id status } }')["offers"]
        still_open = api.data('{ requests(where: {status: "open"}) { id } }')["requests"]
    assert requests == [{"id": "1", "status": "expired"}, {"id": "2", "status": "expired"}]
    assert offers == [{"id": "1", "status": "closed"}, {"id": "2", "status": "closed"}]
    assert still_open == []
    chain.close()
