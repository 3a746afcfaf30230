"""Property (issue #12): no party gains by breaking a deal, whatever the others do.

* A provider who never delivers ends with nothing from the agreement and, unless
  both parties cancelled by consent, a broken record, whatever the requester, the
  arbiter and the provider itself send (disputes, resolutions, cancels, reclaims,
  acceptances) and whenever.
* A requester who disputes a properly delivered milestone ends no better off than
  one who does not dispute (who pays the price), whether the arbiter is honest
  (finds for the provider), silent, or absent.

Each example runs a fresh in-process chain; block time jumps by drawn steps, and at
the end block time passes every window so every milestone settles.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import messages as am
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.market.messages import MilestoneSpec
from abci_app.chain.domain.market.params import BPS, MarketParams
from abci_app.chain.domain.reputation import state as reputation
from tests.support.chain import TestChain, key
from tests.support.market import DAY, Market, doc_hash, make_agreement

REQUESTER, PROVIDER, ARBITER = key(81), key(82), key(83)
BALANCE = 100_000
PRICE = 1_000
P = MarketParams()
STEPS = st.sampled_from((5, 3_600, DAY, 3 * DAY, 8 * DAY, 20 * DAY))
CONFIG = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)


def new_market(path: Path) -> Market:
    return Market(TestChain(path, balances={k: BALANCE for k in (REQUESTER, PROVIDER, ARBITER)}))


def open_deal(m: Market, parts: int, with_arbiter: bool) -> int:
    now = m.now
    share = PRICE // parts
    specs = tuple(MilestoneSpec(f"part {i}", share if i < parts - 1 else PRICE - share * (parts - 1),
                                now + (i + 1) * 2 * DAY) for i in range(parts))
    return make_agreement(m, REQUESTER, PROVIDER, price=PRICE, deadline=now + parts * 2 * DAY, milestones=specs,
                          arbiter=ARBITER.address if with_arbiter else "")


def anything_but_delivering(agreement_id: int, revision: int):
    """Every message any of the three may send about the agreement, except a delivery."""
    index = st.integers(0, 2)
    cancel = st.builds(lambda stale, withdraw: am.CancelAgreement(agreement_id, max(revision - stale, 0), withdraw),
                       st.integers(0, 1), st.booleans())
    return st.one_of(
        st.tuples(st.sampled_from((REQUESTER, PROVIDER)), st.builds(am.DisputeMilestone, st.just(agreement_id), index)),
        st.tuples(st.sampled_from((REQUESTER, PROVIDER)), st.builds(am.ReclaimMilestone, st.just(agreement_id), index)),
        st.tuples(st.sampled_from((REQUESTER, PROVIDER)), st.builds(am.AcceptMilestone, st.just(agreement_id), index)),
        st.tuples(st.sampled_from((ARBITER, PROVIDER)),
                  st.builds(am.ResolveDispute, st.just(agreement_id), index, st.sampled_from((0, 5_000, BPS)))),
        st.tuples(st.just(REQUESTER), cancel),
    )


def settle_everything(m: Market, agreement_id: int) -> agreements.Agreement:
    """Let block time pass every window (one block per window kind is enough below the due cap)."""
    for _ in range(3):
        m.tick(m.now + P.reclaim_window + P.review_window + P.arbitration_window + 60 * DAY)
    done = agreements.get(m.state, agreement_id)
    assert done.settled, "every milestone settles once block time has passed its windows"
    return done


@CONFIG
@given(data=st.data(), parts=st.integers(1, 3), with_arbiter=st.booleans(), moves=st.integers(0, 12))
def test_a_provider_who_never_delivers_ends_with_nothing_and_a_broken_record(data, parts, with_arbiter, moves):
    with tempfile.TemporaryDirectory() as root:
        m = new_market(Path(root))
        try:
            agreement_id = open_deal(m, parts, with_arbiter)
            for _ in range(moves):
                revision = agreements.get(m.state, agreement_id).revision
                signer, action = data.draw(anything_but_delivering(agreement_id, revision))
                m.run(signer, action, time=m.now + data.draw(STEPS))
            done = settle_everything(m, agreement_id)
            assert accounts.balance(m.state, PROVIDER.address) == BALANCE
            assert sum(ms.to_provider for ms in done.milestones) == 0
            if done.outcome != "cancelled":     # only both parties together can end it without a breach
                assert done.outcome == "broken"
                assert reputation.get(m.state, PROVIDER.address).counts.broken == 1
        finally:
            m.chain.close()


@CONFIG
@given(data=st.data(), parts=st.integers(1, 3), arbiter=st.sampled_from(("honest", "silent", "none")),
       disputed=st.integers(0, 2), accept=st.booleans())
def test_a_requester_disputing_a_proper_delivery_ends_no_better_off_than_not_disputing(
        data, parts, arbiter, disputed, accept):
    with tempfile.TemporaryDirectory() as root:
        m = new_market(Path(root))
        try:
            agreement_id = open_deal(m, parts, arbiter != "none")
            for index in range(parts):
                m.ok(PROVIDER, am.DeliverMilestone(agreement_id, index, doc_hash(f"good work {index}")))
            index = min(disputed, parts - 1)
            dispute = m.run(REQUESTER, am.DisputeMilestone(agreement_id, index),
                            time=m.now + data.draw(st.sampled_from((5, DAY, P.review_window))))
            if dispute.ok and arbiter == "honest":
                m.run(ARBITER, am.ResolveDispute(agreement_id, index, BPS),
                      time=m.now + data.draw(st.sampled_from((5, DAY, P.arbitration_window))))
            if accept:                                   # the undisputed milestones: accepted or left to release
                for other in range(parts):
                    m.run(REQUESTER, am.AcceptMilestone(agreement_id, other))
            settle_everything(m, agreement_id)
            not_disputing = BALANCE - PRICE              # every properly delivered milestone paid
            final = accounts.balance(m.state, REQUESTER.address)
            assert final <= not_disputing
            if dispute.ok and P.dispute_bond_bps:
                assert final < not_disputing, "a dispute of a good delivery costs the bond"
        finally:
            m.chain.close()
