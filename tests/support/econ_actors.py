"""Adversarial market actors for the economic-invariants simulation.

The cast is fixed: honest people (who deliver, accept and rate), **silent
providers** (win work, never deliver, try to get paid anyway by disputing,
cancelling or acting for the other side), **disputers** (requesters who dispute
every delivery, also late, and never accept) and a **spammer** (bursts of
requests sharing one expiry, of offers on one request, and of agreements whose
milestones share one deadline, so time-driven queues overflow the per-block cap).
Anyone also tries to cancel and then deliver, and to replay old transactions.

Each generator takes a ``market_sim.Ctx`` and returns a list of ``(signer, action)``
(a burst keeps its order inside one block).  Many of these actions must fail: the
simulation asserts only that a failure is a ledger error with a stable code.
"""

from __future__ import annotations

import dataclasses

from hypothesis import strategies as st

from abci_app.chain.domain.agreements import messages as am
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.state import MilestoneStatus as S
from abci_app.chain.domain.market import keys as market_keys, messages as mm
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.state import RequestStatus
from tests.support import market_sim
from tests.support.chain import key
from tests.support.market import DAY, doc_hash

HONEST = tuple(key(n) for n in range(60, 67))
SILENT = (key(67), key(68))
DISPUTERS = (key(69), key(70))
SPAMMER = key(71)
EVERYONE = HONEST + SILENT + DISPUTERS + (SPAMMER,)
ADDRESS = {k: k.address for k in EVERYONE}          # computing an address derives the key: do it once
BY_ADDRESS = {a: k for k, a in ADDRESS.items()}
SILENT_ADDRESSES = frozenset(ADDRESS[k] for k in SILENT)
DISPUTER_ADDRESSES = frozenset(ADDRESS[k] for k in DISPUTERS)


class EconCtx(market_sim.Ctx):
    """``market_sim.Ctx`` that draws list items by index (Hypothesis notes every draw's repr; indexes are cheap)."""

    def __init__(self, draw, view, now, people):
        self.draw, self.view, self.now, self.people = draw, view, now, people
        self.by_address = {ADDRESS[p]: p for p in people}

    def one(self, items):
        items = tuple(items)
        return items[self.draw(st.integers(0, len(items) - 1))]

    def person(self):
        return self.one(self.people)

    def pick(self, items, fallback):
        if items and self.draw(st.integers(0, 9)) < 9:
            return self.one(items)
        return fallback


CANCEL_FIELDS = frozenset(f.name for f in dataclasses.fields(am.CancelAgreement))


def cancel_msg(agreement, withdraw: bool = False) -> am.CancelAgreement:
    """A cancel message for ``agreement`` carrying the revision seen now (and ``withdraw``) when the message has them."""
    extra = {"revision": getattr(agreement, "revision", 0)} if "revision" in CANCEL_FIELDS else {}
    if withdraw and "withdraw" in CANCEL_FIELDS:
        extra["withdraw"] = True
    return am.CancelAgreement(agreement.id, **extra)


def _agreements(c, where) -> list:
    return [a for a in agreements.all_agreements(c.view) if not a.settled and where(a)]


def _open_milestones(a, *states) -> list[int]:
    return [i for i, m in enumerate(a.milestones) if m.status in states]


def _signer(address: str):
    return BY_ADDRESS.get(address)


def honest_deliver(c) -> list:
    """A provider who is not silent delivers one of its active milestones (sometimes late)."""
    found = _agreements(c, lambda a: a.provider not in SILENT_ADDRESSES and _open_milestones(a, S.ACTIVE))
    if not found:
        return []
    for_disputers = [a for a in found if a.requester in DISPUTER_ADDRESSES]   # so disputes of deliveries happen
    a = c.one(for_disputers if for_disputers and c.draw(st.booleans()) else found)
    index = c.one(_open_milestones(a, S.ACTIVE))
    return [(_signer(a.provider) or SPAMMER, am.DeliverMilestone(a.id, index, doc_hash(f"d{a.id}/{index}")))]


def honest_accept(c) -> list:
    """A requester who is not a disputer accepts a delivered milestone."""
    found = _agreements(c, lambda a: a.requester not in DISPUTER_ADDRESSES and _open_milestones(a, S.DELIVERED))
    if not found:
        return []
    a = c.one(found)
    signer = _signer(a.requester)
    return [(signer, am.AcceptMilestone(a.id, c.one(_open_milestones(a, S.DELIVERED))))] \
        if signer else []


def silent_offer(c) -> list:
    """A silent provider offers on an open request (cheap, so it is often chosen) or publishes a standing offer."""
    signer = c.one(SILENT)
    requests = [r for r in market.all_requests(c.view) if r.status is RequestStatus.OPEN and r.requester != ADDRESS[signer]]
    if not requests or c.draw(st.integers(0, 3)) == 0:
        arbiter = c.one(("", ADDRESS[HONEST[0]]))
        return [(signer, mm.PublishStandingOffer("Quick job", "", ("repair",), 300, 2 * DAY, b"", arbiter))]
    request = c.one(requests)
    price = min(150, request.budget) if request.budget else 150
    parts = c.draw(st.integers(1, 2))
    deadline = c.now + c.one((2 * DAY, 5 * DAY))
    milestones = () if parts == 1 else (mm.MilestoneSpec("a", price // 2, deadline - 60),
                                        mm.MilestoneSpec("b", price - price // 2, deadline))
    arbiter = c.one(("", ADDRESS[HONEST[1]]))
    if arbiter == request.requester:
        arbiter = ""
    return [(signer, mm.MakeOffer(request.id, price, deadline, milestones, b"", arbiter))]


def silent_grab(c) -> list:
    """A silent provider tries to get paid without delivering: dispute, cancel, accept or resolve for itself."""
    found = _agreements(c, lambda a: a.provider in SILENT_ADDRESSES)
    if not found:
        return []
    a = c.one(found)
    signer = _signer(a.provider)
    index = c.draw(st.integers(0, len(a.milestones) - 1))
    action = c.one((am.DisputeMilestone(a.id, index), cancel_msg(a), am.AcceptMilestone(a.id, index),
                                     am.ResolveDispute(a.id, index, 10_000), am.ReclaimMilestone(a.id, index)))
    return [(signer, action)]


def disputer(c) -> list:
    """A disputer disputes one of its milestones: delivered (mostly within the review window, else late) or active."""
    found = _agreements(c, lambda a: a.requester in DISPUTER_ADDRESSES
                        and _open_milestones(a, S.DELIVERED, S.ACTIVE))
    if not found:   # nothing to dispute yet: make a deal with an honest provider
        deadline = c.now + c.one((6 * DAY, 8 * DAY))
        return _deal(c, c.one(DISPUTERS), c.one(HONEST), (mm.MilestoneSpec("m0", 100, deadline),), "")
    in_review = [(a, i) for a in found for i in _open_milestones(a, S.DELIVERED) if a.milestones[i].due_at > c.now]
    honest_active = [(a, i) for a in found if a.provider not in SILENT_ADDRESSES and _signer(a.provider)
                     for i in _open_milestones(a, S.ACTIVE)]
    if in_review and c.draw(st.integers(0, 3)):
        a, index = c.one(in_review)
    elif honest_active and c.draw(st.integers(0, 3)):
        a, index = c.one(honest_active)     # the provider delivers and the disputer disputes at once, same block
        return [(_signer(a.provider), am.DeliverMilestone(a.id, index, doc_hash(f"d{a.id}/{index}"))),
                (_signer(a.requester), am.DisputeMilestone(a.id, index, doc_hash(f"why {a.id}")))]
    else:
        a = c.one(found)
        index = c.one(_open_milestones(a, S.DELIVERED) or _open_milestones(a, S.ACTIVE))
    return [(_signer(a.requester), am.DisputeMilestone(a.id, index, doc_hash(f"why {a.id}")))]


def cancel_then_deliver(c) -> list:
    """One party proposes to cancel, the provider then delivers, the other party confirms the old proposal."""
    found = _agreements(c, lambda a: _open_milestones(a, S.ACTIVE) and _signer(a.provider) and _signer(a.requester))
    if not found:
        return []
    a = c.one(found)
    provider, requester = _signer(a.provider), _signer(a.requester)
    first, second = (provider, requester) if c.draw(st.booleans()) else (requester, provider)
    burst = [(first, cancel_msg(a))]
    burst += [(provider, am.DeliverMilestone(a.id, i, doc_hash(f"late {a.id}/{i}"))) for i in _open_milestones(a, S.ACTIVE)]
    burst.append((second, cancel_msg(a)))
    return burst


def cancel_withdraw(c) -> list:
    """A party takes back a cancel proposal (its own, or tries the other party's) or re-proposes."""
    found = _agreements(c, lambda a: a.cancel_proposed_by and _signer(a.provider) and _signer(a.requester))
    if not found:
        return []
    a = c.one(found)
    signer = _signer(c.one((a.provider, a.requester)))
    return [(signer, cancel_msg(a, withdraw=c.draw(st.booleans())))]


def late_actor(c) -> list:
    """Act just after a window ended: deliver an overdue milestone, dispute after the review window, reclaim."""
    found = _agreements(c, lambda a: any(m.due_at and m.due_at <= c.now for m in a.milestones if m.open))
    if not found:
        return []
    a = c.one(found)
    index = next(i for i, m in enumerate(a.milestones) if m.open and m.due_at <= c.now)
    status = a.milestones[index].status
    if status is S.ACTIVE:
        return [(_signer(a.provider) or SPAMMER, am.DeliverMilestone(a.id, index, doc_hash(f"too late {a.id}")))]
    if status is S.DELIVERED:
        return [(_signer(a.requester) or SPAMMER, am.DisputeMilestone(a.id, index))]
    return [(_signer(a.provider) or SPAMMER, am.ResolveDispute(a.id, index, 10_000))]


def spam_requests(c) -> list:
    """The spammer posts a burst of requests that all expire in the same second."""
    until = c.now + c.one((5 * DAY + 60, 6 * DAY))
    count = c.draw(st.integers(4, 9))
    return [(SPAMMER, mm.PostRequest(f"spam {i}", "", ("care",), 0, until)) for i in range(count)]


def spam_offers(c) -> list:
    """Everyone but the requester piles offers onto one open request."""
    requests = [r for r in market.all_requests(c.view) if r.status is RequestStatus.OPEN]
    if not requests:
        return []
    request = c.one(requests)
    deadline = c.now + 6 * DAY
    return [(k, mm.MakeOffer(request.id, 100 + i, deadline)) for i, k in enumerate(EVERYONE)
            if ADDRESS[k] != request.requester][:c.draw(st.integers(3, 10))]


def deal(c) -> list:
    """A requester (honest or a disputer) asks, a provider (honest or silent) offers, the requester accepts."""
    requester = c.one(HONEST + DISPUTERS * 3)
    provider = c.one(tuple(k for k in HONEST + SILENT if k != requester))
    arbiter = c.one(("",) + tuple(ADDRESS[k] for k in HONEST[:2] if k not in (requester, provider)))
    deadline = c.now + c.one((6 * DAY, 8 * DAY, 12 * DAY))
    parts = c.draw(st.integers(1, 3))
    milestones = tuple(mm.MilestoneSpec(f"m{i}", 100, deadline - 3_600 * (parts - 1 - i)) for i in range(parts))
    return _deal(c, requester, provider, milestones, arbiter)


def spam_agreements(c) -> list:
    """The spammer makes an agreement of four milestones that share one deadline (the same for the whole block)."""
    provider = c.one(HONEST + SILENT)
    deadline = c.now + 6 * DAY
    return _deal(c, SPAMMER, provider, tuple(mm.MilestoneSpec(f"m{i}", 10, deadline) for i in range(4)), "")


def _deal(c, requester, provider, milestones, arbiter) -> list:
    """Post, offer and accept in one burst (the ids are the market's next ones)."""
    request_id, offer_id = _next_id(c, "request"), _next_id(c, "offer")
    price = sum(m.amount for m in milestones)
    deadline = max(m.deadline for m in milestones)
    return [(requester, mm.PostRequest("job", "", ("repair",), 0, c.now + 6 * DAY)),
            (provider, mm.MakeOffer(request_id, price, deadline, milestones, b"", arbiter)),
            (requester, mm.AcceptOffer(offer_id))]


def _next_id(c, kind: str) -> int:
    """The id the next ``kind`` object will get (read from the counter the market keeps)."""
    raw = c.view.get(market_keys.next_id(kind))
    return 1 if raw is None else int(raw)


ADVERSARIES = (silent_offer, silent_offer, silent_grab, silent_grab, disputer, disputer, disputer, cancel_then_deliver,
               cancel_withdraw,
               late_actor, late_actor, spam_requests, spam_offers, spam_agreements, deal, deal, deal,
               honest_deliver, honest_deliver, honest_deliver, honest_accept, honest_accept)
BACKGROUND = tuple(g for g in market_sim.GENERATORS if g not in (market_sim.deliver, market_sim.dispute))
