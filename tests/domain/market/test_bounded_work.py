"""Issue #12, findings 1 and 2: the work per item stays the same however many items there are.

Work is measured by counting the function calls made (deterministic), never by timing.
"""

from __future__ import annotations

from abci_app.chain import block as block_mod
from abci_app.chain.context import BlockInfo
from abci_app.chain.domain.market import handlers as market_handlers
from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.market.messages import AcceptOffer, WithdrawRequest
from abci_app.chain.domain.market.state import OfferStatus, RequestStatus
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.domain.market.events import RequestPosted
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.events import ProjectCreated, ProjectTransferred
from abci_app.chain.domain.projects.messages import AcceptProject, CreateProject, OfferProject
from abci_app.chain.errors import ProjectFull
from abci_app.chain.state.delta import Delta
from tests.support.calls import counted_calls
from tests.support.chain import TestChain, key, ok
from tests.support.market import DAY, Market, doc_hash, event, make_agreement, offer_msg, request_msg

POSTER = key(41)
UNCAPPED = {"market": {"max_due_per_block": 1_000_000}}


def chain_with_requests(tmp_path, n: int, offers_until: int | None = None) -> TestChain:
    """A chain where ``POSTER`` has posted ``n`` requests, all open until the same second."""
    chain = TestChain(tmp_path, balances={POSTER: 10**9}, extra_genesis=UNCAPPED)
    until = offers_until or chain.time + DAY
    for first in range(0, n, 200):
        ok(chain.block(*(chain.tx(POSTER, request_msg(chain.time, offers_until=until))
                         for _ in range(first, min(n, first + 200)))))
    return chain


def next_block(chain: TestChain, time: int) -> tuple[Delta, BlockInfo]:
    """A fresh block overlay over the committed state, and the next block's facts at ``time``."""
    return Delta(chain.state), BlockInfo(chain.height + 1, time, chain.chain_id, b"", chain.app.params, chain.app.market)


def expiry_calls_per_request(tmp_path, n: int) -> float:
    """Run the request-expiry hook over ``n`` requests that share one ``offers_until``; calls per request."""
    chain = chain_with_requests(tmp_path, n)
    state, info = next_block(chain, mkt.get_request(chain.state, 1).offers_until)
    events, calls = counted_calls(lambda: market_handlers.end_block(state, info))
    assert len(events) == n + 1 and all(mkt.get_request(state, i).status is RequestStatus.EXPIRED
                                    for i in range(1, n + 1))
    chain.close()
    return calls / n


def test_expiring_many_requests_that_share_one_deadline_costs_the_same_per_request(tmp_path):
    small = expiry_calls_per_request(tmp_path / "small", 100)
    large = expiry_calls_per_request(tmp_path / "large", 800)
    assert large <= 1.15 * small, (small, large)


def withdraw_calls_per_tx(tmp_path, k: int) -> float:
    """Run one block of ``k`` WithdrawRequests (after ``k`` posts); calls per transaction."""
    chain = chain_with_requests(tmp_path, k)
    txs = [chain.tx(POSTER, WithdrawRequest(i)) for i in range(1, k + 1)]
    state, info = next_block(chain, chain.time + 1)
    outcome, calls = counted_calls(lambda: block_mod.run_block(state, info, txs))
    chain.close()
    assert all(tx.ok for tx in outcome.txs)
    return calls / k


def test_withdrawing_many_requests_in_one_block_costs_the_same_per_transaction(tmp_path):
    small = withdraw_calls_per_tx(tmp_path / "small", 50)
    large = withdraw_calls_per_tx(tmp_path / "large", 400)
    assert large <= 1.15 * small, (small, large)


def accept_with_other_offers(tmp_path, others: int) -> tuple[int, int]:
    """Accept one offer on a request that has ``others`` more; return (calls, events) of that block."""
    provider = key(42)
    chain = TestChain(tmp_path, balances={POSTER: 10**9, provider: 10**9}, extra_genesis=UNCAPPED)
    ok(chain.block(chain.tx(POSTER, request_msg(chain.time))))
    for first in range(0, others + 1, 200):
        ok(chain.block(*(chain.tx(provider, offer_msg(1, chain.time)) for _ in range(first, min(others + 1, first + 200)))))
    state, info = next_block(chain, chain.time + 1)
    accept = [chain.tx(POSTER, AcceptOffer(1))]
    outcome, calls = counted_calls(lambda: block_mod.run_block(state, info, accept))
    assert outcome.txs[0].ok, outcome.txs[0].log
    assert mkt.offer_status(state, mkt.get_offer(state, others + 1), info.time) is OfferStatus.CLOSED
    chain.close()
    return calls, len(outcome.txs[0].events)


def test_accepting_an_offer_costs_the_same_with_one_or_many_other_offers(tmp_path):
    few_calls, few_events = accept_with_other_offers(tmp_path / "few", 1)
    many_calls, many_events = accept_with_other_offers(tmp_path / "many", 600)
    assert many_events == few_events <= 4
    assert many_calls <= 1.05 * few_calls, (few_calls, many_calls)


def test_a_project_holds_at_most_max_project_items_so_its_transfer_is_bounded(tmp_path):
    provider = key(42)
    chain = TestChain(tmp_path, balances={POSTER: 10**9, provider: 10**9, key(43): 10**9},
                      extra_genesis={"market": {"max_project_items": 3}})
    market = Market(chain)
    project_id = event(market.ok(POSTER, CreateProject("Buurt", "", 5_000)), ProjectCreated).project_id
    first = event(market.ok(POSTER, request_msg(chain.time, project_id=project_id)), RequestPosted).request_id
    make_agreement(market, POSTER, provider, {"project_id": project_id}, price=100)
    market.ok(POSTER, PublishDocument(doc_hash("plan"), "Plan", "text/markdown"))
    market.ok(POSTER, AttachDocument(doc_hash("plan"), "project", project_id))
    assert projects.items(chain.state, project_id) == 3
    market.fails(POSTER, request_msg(chain.time, project_id=project_id), ProjectFull)
    market.ok(POSTER, PublishDocument(doc_hash("notes"), "Notes", "text/markdown"))
    market.fails(POSTER, AttachDocument(doc_hash("notes"), "project", project_id), ProjectFull)
    market.ok(POSTER, WithdrawRequest(first))                     # a closed request frees its place
    assert projects.items(chain.state, project_id) == 2
    market.ok(POSTER, request_msg(chain.time, project_id=project_id))
    market.ok(POSTER, OfferProject(project_id, key(43).address, chain.time + DAY))
    moved = event(market.ok(key(43), AcceptProject(project_id)), ProjectTransferred)
    assert (moved.requests, moved.agreements, moved.documents) == (1, 1, 1)
    chain.close()
