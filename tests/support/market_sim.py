"""Action generators for simulations of the market family (valid and invalid actions, many accounts).

``draw_action(draw, view, now, people)`` picks a message kind and builds it from
the current view of state (usually the check state, which already holds the
block's accepted transactions), mostly aimed at objects in a state where the
action is legal, sometimes at the wrong object, signer or time.  ``draw`` is any
``draw(strategy)`` function (Hypothesis ``data.draw``).
"""

from __future__ import annotations

from hypothesis import strategies as st

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements import messages as am
from abci_app.chain.domain.agreements.state import MilestoneStatus as S
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.domain.market import messages as mm
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.state import OfferStatus, RequestStatus
from abci_app.chain.domain.projects import messages as pm
from abci_app.chain.domain.projects import state as projects
from tests.support.market import DAY, doc_hash

TAGS = ("first-aid", "training", "care", "repair")
EXPIRIES = (-DAY, 3_600, DAY, 3 * DAY, 6 * DAY, 9 * DAY, 9 * DAY, 12 * DAY)      # request and transfer expiries
DEADLINES = (-DAY, 2 * DAY, 5 * DAY, 8 * DAY, 8 * DAY, 15 * DAY, 25 * DAY)    # delivery deadlines


class Ctx:
    """What a generator needs: the draw function, the state view, the time and the people."""

    def __init__(self, draw, view, now, people):
        self.draw, self.view, self.now, self.people = draw, view, now, people
        self.by_address = {p.address: p for p in people}

    def person(self):
        return self.draw(st.sampled_from(self.people))

    def usually(self, address):
        """The signer owning ``address`` nine times in ten, else anyone (often unauthorized)."""
        if address in self.by_address and self.draw(st.integers(0, 9)) < 9:
            return self.by_address[address]
        return self.person()

    def pick(self, items, fallback):
        if items and self.draw(st.integers(0, 9)) < 9:
            return self.draw(st.sampled_from(items))
        return fallback

    def when(self, offsets=EXPIRIES):
        return self.now + self.draw(st.sampled_from(offsets))

    def amount(self):
        return self.draw(st.sampled_from((0, 1, 150, 400, 900, 2_500, 40_000)))


def _open_requests(c):
    return [r for r in market.all_requests(c.view) if r.status is RequestStatus.OPEN]


def _open_offers(c):
    """Offers open as of now (the other offers of a closed request close lazily)."""
    return [o for o in market.all_offers(c.view) if market.offer_status(c.view, o, c.now) is OfferStatus.OPEN]


def _milestones(c, *states):
    """Open milestones in ``states`` whose window is still running (most actions are refused after ``due_at``)."""
    return [(a, i, m) for a in agreements.all_agreements(c.view) if not a.settled
            for i, m in enumerate(a.milestones) if m.status in states and m.due_at > c.now]


def post_request(c):
    signer = c.person()
    owned = [p.id for p in projects.all_projects(c.view) if p.owner == signer.address]
    project_id = c.pick(owned, 0) if c.draw(st.booleans()) else 0
    published = [doc_hash(n) for n in range(6) if documents.get(c.view, doc_hash(n)) is not None] or [doc_hash(9)]
    docs = tuple(c.draw(st.lists(st.sampled_from(published), max_size=2, unique=True)))
    tags = tuple(c.draw(st.lists(st.sampled_from(TAGS), max_size=3, unique=True)))
    budget = c.draw(st.sampled_from((0, 1_000, 3_000)))
    return signer, mm.PostRequest("Need help", "", tags, budget, c.when(), docs, project_id)


def make_offer(c):
    request = c.pick(_open_requests(c), None)
    request_id = request.id if request else c.draw(st.integers(1, 50))
    price = c.draw(st.sampled_from((100, 500, 900, 2_000, 5_000)))
    deadline = c.when(DEADLINES)
    parts = c.draw(st.integers(0, 3))
    milestones = ()
    if parts > 1:
        share = price // parts
        milestones = tuple(mm.MilestoneSpec(f"part {i}", share if i < parts - 1 else price - share * (parts - 1),
                                            deadline - (parts - 1 - i) * 60) for i in range(parts))
    arbiter = c.draw(st.sampled_from(("",) + tuple(p.address for p in c.people[:3])))
    return c.person(), mm.MakeOffer(request_id, price, deadline, milestones, b"", arbiter)


def accept_offer(c):
    offer = c.pick(_open_offers(c), None)
    if offer is None:
        return c.person(), mm.AcceptOffer(c.draw(st.integers(1, 80)))
    request = market.get_request(c.view, offer.request_id)
    return c.usually(request.requester), mm.AcceptOffer(offer.id)


def withdraw_request(c):
    request = c.pick(_open_requests(c), None)
    if request is None:
        return c.person(), mm.WithdrawRequest(c.draw(st.integers(1, 50)))
    return c.usually(request.requester), mm.WithdrawRequest(request.id)


def withdraw_offer(c):
    offer = c.pick(_open_offers(c), None)
    if offer is None:
        return c.person(), mm.WithdrawOffer(c.draw(st.integers(1, 80)))
    return c.usually(offer.provider), mm.WithdrawOffer(offer.id)


def publish_standing(c):
    arbiter = c.draw(st.sampled_from(("",) + tuple(p.address for p in c.people[:3])))
    delivery = c.draw(st.sampled_from((0, 3_600, 2 * DAY, 5 * DAY)))
    return c.person(), mm.PublishStandingOffer("Service", "", (c.draw(st.sampled_from(TAGS)),),
                                               c.draw(st.sampled_from((200, 700))), delivery, b"", arbiter)


def withdraw_standing(c):
    standing = c.pick([s for s in market.all_standing(c.view) if s.open], None)
    if standing is None:
        return c.person(), mm.WithdrawStandingOffer(c.draw(st.integers(1, 20)))
    return c.usually(standing.provider), mm.WithdrawStandingOffer(standing.id)


def take_standing(c):
    standing = c.pick([s for s in market.all_standing(c.view) if s.open], None)
    signer = c.person()
    owned = [p.id for p in projects.all_projects(c.view) if p.owner == signer.address]
    project_id = c.pick(owned, 0) if c.draw(st.booleans()) else 0
    return signer, mm.TakeStandingOffer(standing.id if standing else c.draw(st.integers(1, 20)), project_id)


def _on_milestone(c, states, role, build, overdue=False, punctual=False, arbitrated=False):
    candidates = _milestones(c, *states)
    if arbitrated:
        candidates = [found for found in candidates if found[0].arbiter] or candidates
    if punctual:
        candidates = [f for f in candidates if f[0].id % 3 or f[2].deadline + 2 * DAY < c.now] or candidates
    if overdue:
        candidates = [found for found in candidates if found[2].deadline < c.now] or candidates
    found = c.pick(candidates, None)
    if found is None:
        return c.person(), build(c.draw(st.integers(1, 40)), 0)
    agreement, index, _ = found
    address = {"provider": agreement.provider, "requester": agreement.requester, "arbiter": agreement.arbiter,
               "either": c.draw(st.sampled_from((agreement.provider, agreement.requester)))}[role]
    return c.usually(address), build(agreement.id, index)


def deliver(c):
    """Providers of every third agreement never deliver on time (so reclaims happen), the others may."""
    return _on_milestone(c, (S.ACTIVE,), "provider", lambda a, i: am.DeliverMilestone(a, i, doc_hash(f"d{a}/{i}")),
                         punctual=True)


def accept_milestone(c):
    return _on_milestone(c, (S.DELIVERED,), "requester", am.AcceptMilestone)


def reclaim(c):
    return _on_milestone(c, (S.ACTIVE,), "requester", am.ReclaimMilestone, overdue=True)


def dispute(c):
    """Mostly the requester on a delivered milestone; sometimes an active one or the provider (both refused)."""
    states = (S.DELIVERED,) if c.draw(st.integers(0, 3)) else (S.ACTIVE, S.DELIVERED)
    return _on_milestone(c, states, "either" if c.draw(st.integers(0, 5)) == 0 else "requester",
                         lambda a, i: am.DisputeMilestone(a, i))


def resolve(c):
    """Usually the arbiter of a disputed milestone of an agreement that has one."""
    bps = c.draw(st.sampled_from((0, 2_500, 5_000, 10_000, 10_001)))
    return _on_milestone(c, (S.DISPUTED,), "arbiter", lambda a, i: am.ResolveDispute(a, i, bps), arbitrated=True)


def cancel(c):
    """Propose, confirm (usually at the current revision, sometimes a stale one) or withdraw."""
    def build(agreement_id, _index):
        found = agreements.get(c.view, agreement_id)
        revision = found.revision if found else 0
        return am.CancelAgreement(agreement_id, max(revision - c.draw(st.sampled_from((0, 0, 0, 1))), 0),
                                  withdraw=c.draw(st.integers(0, 5)) == 0)
    return _on_milestone(c, (S.ACTIVE, S.DELIVERED, S.DISPUTED), "either", build)


def rate(c):
    settled = [a for a in agreements.all_agreements(c.view) if a.settled]
    agreement = c.pick(settled, None)
    score = c.draw(st.integers(0, 5))
    if agreement is None:
        return c.person(), am.RateAgreement(c.draw(st.integers(1, 40)), score)
    return c.usually(c.draw(st.sampled_from((agreement.provider, agreement.requester)))), \
        am.RateAgreement(agreement.id, score)


def create_project(c):
    return c.person(), pm.CreateProject("Project", "", c.amount())


def _project(c):
    return c.pick(list(projects.all_projects(c.view)), None)


def fund_project(c):
    project = _project(c)
    return c.person(), pm.FundProject(project.id if project else 99, c.amount())


def withdraw_budget(c):
    project = _project(c)
    if project is None:
        return c.person(), pm.WithdrawProjectBudget(99, 1)
    return c.usually(project.owner), pm.WithdrawProjectBudget(project.id, c.amount())


def offer_project(c):
    project = _project(c)
    if project is None:
        return c.person(), pm.OfferProject(99, c.person().address, c.when())
    return c.usually(project.owner), pm.OfferProject(project.id, c.person().address, c.when())


def _offered(c):
    return [o for o in (projects.get_offer(c.view, p.id) for p in projects.all_projects(c.view)) if o]


def withdraw_project_offer(c):
    offer = c.pick(_offered(c), None)
    if offer is None:
        return c.person(), pm.WithdrawProjectOffer(c.draw(st.integers(1, 10)))
    return c.usually(offer.source), pm.WithdrawProjectOffer(offer.project_id)


def accept_project(c):
    offer = c.pick(_offered(c), None)
    if offer is None:
        return c.person(), pm.AcceptProject(c.draw(st.integers(1, 10)))
    return c.usually(offer.target), pm.AcceptProject(offer.project_id)


def publish_document(c):
    n = c.draw(st.integers(0, 5))
    supersedes = doc_hash(c.draw(st.integers(0, 5))) if c.draw(st.booleans()) else b""
    return c.person(), PublishDocument(doc_hash(n), f"doc {n}", "text/plain", "", supersedes)


def attach_document(c):
    """Attach a published document to an existing object, usually signed by whoever is responsible for it."""
    kind = c.draw(st.sampled_from(("request", "offer", "agreement", "project")))
    targets = {"request": lambda: [(r.id, r.requester) for r in market.all_requests(c.view)],
               "offer": lambda: [(o.id, o.provider) for o in market.all_offers(c.view)],
               "agreement": lambda: [(a.id, a.provider) for a in agreements.all_agreements(c.view)],
               "project": lambda: [(p.id, p.owner) for p in projects.all_projects(c.view)]}[kind]()
    target_id, responsible = c.pick(targets, (c.draw(st.integers(0, 12)), c.person().address))
    published = [doc_hash(n) for n in range(6) if documents.get(c.view, doc_hash(n)) is not None]
    return c.usually(responsible), AttachDocument(c.pick(published, doc_hash(9)), kind, target_id)


def transfer(c):
    return c.person(), Transfer(c.person().address, c.amount())


GENERATORS = (post_request, post_request, post_request, make_offer, make_offer, make_offer, make_offer,
              accept_offer, accept_offer, accept_offer, withdraw_request, withdraw_offer,
              publish_standing, withdraw_standing, take_standing, deliver, deliver, accept_milestone, reclaim, dispute,
              resolve, cancel, rate, create_project, fund_project, withdraw_budget, offer_project,
              withdraw_project_offer, accept_project, publish_document, attach_document, transfer)


def draw_action(draw, view, now, people):
    """Return ``(signer, action)`` for one generated transaction."""
    generator = draw(st.sampled_from(GENERATORS))
    return generator(Ctx(draw, view, now, people))
