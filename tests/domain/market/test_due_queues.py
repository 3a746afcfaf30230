"""Issue #12, finding 2: every time-driven queue handles at most ``max_due_per_block`` items per block.

The rest wait, earliest first, and drain at the cap per block; each block that
handles items reports them in a ``due_queue`` event.  An item that is due but not
yet handled already counts as due for the handlers and the status readers.
"""

from __future__ import annotations

from abci_app.chain.domain import due
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.state import MilestoneStatus
from abci_app.chain.domain.due import DueQueue
from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.market.messages import MilestoneSpec
from abci_app.chain.domain.market.state import OfferStatus, RequestStatus
from abci_app.chain.domain.organizations.messages import CreateOrganization, OrgMember
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.messages import AcceptProject, CreateProject, OfferProject, WithdrawProjectOffer
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import SubmitProposal
from abci_app.chain.errors import NoTransferOffer, RequestClosed
from tests.domain.organizations.support import threshold
from tests.support.chain import TestChain, key, ok
from tests.support.market import DAY, make_agreement, offer_msg, request_msg

CAP = 5
ALICE, BOB = key(51), key(52)


def capped_chain(tmp_path) -> TestChain:
    return TestChain(tmp_path, balances={ALICE: 10**9, BOB: 10**9},
                     extra_genesis={"market": {"max_due_per_block": CAP}})


def reports(result, queue: str) -> list[tuple[int, bool]]:
    return [(e.processed, e.more) for e in result.events if isinstance(e, DueQueue) and e.queue == queue]


def drain(chain: TestChain, queue: str, time: int) -> list[tuple[int, bool]]:
    """Run blocks from ``time`` on until ``queue`` reports nothing more; return its report per block."""
    seen = []
    for _ in range(50):
        found = reports(chain.block(time=time), queue)
        time += chain.block_seconds
        seen += found
        if not found or not found[-1][1]:
            return seen
    raise AssertionError(f"{queue} did not drain: {seen}")


def test_requests_sharing_one_expiry_drain_at_the_cap_per_block_and_count_as_expired_while_waiting(tmp_path):
    chain = capped_chain(tmp_path)
    until = chain.time + DAY
    ok(chain.block(*(chain.tx(ALICE, request_msg(chain.time, offers_until=until)) for _ in range(12))))
    ok(chain.block(chain.tx(BOB, offer_msg(12, chain.time))))
    first = chain.block(time=until)
    assert reports(first, due.REQUESTS) == [(CAP, True)]
    waiting = mkt.get_request(chain.state, 12)
    assert waiting.status is RequestStatus.OPEN                     # stored: not handled yet
    assert mkt.request_status(waiting, chain.time) is RequestStatus.EXPIRED
    assert mkt.offer_status(chain.state, mkt.get_offer(chain.state, 1), chain.time) is OfferStatus.CLOSED
    refused = chain.block(chain.tx(BOB, offer_msg(12, chain.time)), time=until + 5).txs[0]
    assert (refused.codespace, refused.code) == (RequestClosed.codespace, RequestClosed.code)
    assert reports(chain.results[-1], due.REQUESTS) == [(CAP, True)]
    assert drain(chain, due.REQUESTS, until + 10) == [(2, False)]
    assert all(mkt.get_request(chain.state, i).status is RequestStatus.EXPIRED for i in range(1, 13))
    chain.close()


def test_milestones_sharing_one_reclaim_time_are_settled_at_the_cap_per_block(tmp_path):
    from tests.support.market import Market

    chain = capped_chain(tmp_path)
    market = Market(chain)
    deadline = chain.time + 10 * DAY
    specs = tuple(MilestoneSpec(f"part {i}", 10, deadline) for i in range(12))
    agreement_id = make_agreement(market, ALICE, BOB, price=120, deadline=deadline, milestones=specs)
    due_at = agreements.get(chain.state, agreement_id).milestones[0].due_at
    assert drain(chain, due.MILESTONES, due_at) == [(CAP, True), (CAP, True), (2, False)]
    agreement = agreements.get(chain.state, agreement_id)
    assert [m.status for m in agreement.milestones] == [MilestoneStatus.RECLAIMED] * 12 and agreement.settled
    chain.close()


def test_transfer_offers_expire_at_the_cap_per_block_and_an_expired_one_cannot_be_accepted(tmp_path):
    chain = capped_chain(tmp_path)
    ok(chain.block(*(chain.tx(ALICE, CreateProject(f"project {i}", "", 0)) for i in range(7))))
    expires = chain.time + DAY
    ok(chain.block(*(chain.tx(ALICE, OfferProject(i, BOB.address, expires)) for i in range(1, 8))))
    assert reports(chain.block(time=expires), due.TRANSFER_OFFERS) == [(CAP, True)]
    assert projects.get_offer(chain.state, 7) is not None           # waiting in the queue
    refused = chain.block(chain.tx(BOB, AcceptProject(7)), time=expires + 1)
    assert (refused.txs[0].codespace, refused.txs[0].code) == (NoTransferOffer.codespace, NoTransferOffer.code)
    assert reports(refused, due.TRANSFER_OFFERS) == [(2, False)]
    assert projects.get(chain.state, 7).owner == ALICE.address
    chain.close()


def test_proposals_whose_voting_ends_together_are_decided_at_the_cap_per_block(tmp_path):
    chain = capped_chain(tmp_path)
    members = (OrgMember(ALICE.address, 1), OrgMember(BOB.address, 1))
    ok(chain.block(chain.tx(ALICE, CreateOrganization("Buurt", "", members, threshold(2)))))
    submits = [chain.tx(ALICE, SubmitProposal(1, f"p{i}", "", (Transfer(BOB.address, 1),))) for i in range(7)]
    ok(chain.block(*submits))
    voting_end = proposals.require(chain.state, 1).voting_end
    assert drain(chain, due.PROPOSAL_VOTES, voting_end) == [(CAP, True), (2, False)]
    assert {proposals.require(chain.state, i).status for i in range(1, 8)} == {proposals.REJECTED}
    chain.close()


def test_an_owner_replaces_a_transfer_offer_that_expired_while_it_waits_in_the_queue(tmp_path):
    chain = capped_chain(tmp_path)
    ok(chain.block(*(chain.tx(ALICE, CreateProject(f"project {i}", "", 0)) for i in range(7))))
    expires = chain.time + DAY
    ok(chain.block(*(chain.tx(ALICE, OfferProject(i, BOB.address, expires)) for i in range(1, 8))))
    chain.block(time=expires)                                        # handles 5 of the 7
    both = chain.block(chain.tx(ALICE, WithdrawProjectOffer(7)),
                       chain.tx(ALICE, OfferProject(6, key(53).address, expires + DAY)), time=expires + 1)
    withdraw, renewed = both.txs
    assert (withdraw.codespace, withdraw.code) == (NoTransferOffer.codespace, NoTransferOffer.code)
    assert [type(e).__name__ for e in renewed.events] == ["ProjectOfferClosed", "ProjectOffered"]
    assert projects.get_offer(chain.state, 6).target == key(53).address
    assert [e.kind for e in projects.history(chain.state, 6)][-2:] == ["offer_expired", "offered"]
    chain.close()
