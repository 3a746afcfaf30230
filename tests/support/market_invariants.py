"""Invariants of the market family, as plain functions over a committed state (reusable by any simulation).

Each function raises ``AssertionError`` with a readable message when the
invariant does not hold.  ``snapshot_statuses`` + ``check_transitions`` compare
two consecutive blocks.
"""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import keys as agreement_keys, state as agreements
from abci_app.chain.domain.agreements.state import MilestoneStatus as S
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.market import keys as market_keys, state as market
from abci_app.chain.domain.market.state import OfferStatus as O, RequestStatus as R
from abci_app.chain.domain.projects import keys as project_keys, state as projects
from abci_app.chain.state import timers


def supply_conserved(state) -> None:
    total = sum(a.balance for _, a in accounts.all_accounts(state))
    assert total == accounts.supply(state), f"balances add up to {total}, supply is {accounts.supply(state)}"


def no_negative_balance(state) -> None:
    bad = [(addr, a.balance) for addr, a in accounts.all_accounts(state) if a.balance < 0]
    assert not bad, f"negative balances: {bad}"


def escrow_matches_open_agreements(state) -> None:
    """The escrow account holds exactly what unsettled milestones of open agreements still hold."""
    held = 0
    for agreement in agreements.all_agreements(state):
        open_amount = sum(m.amount for m in agreement.milestones if m.open)
        assert agreement.escrow == open_amount, f"agreement {agreement.id} escrow {agreement.escrow} != {open_amount}"
        assert agreement.settled == (open_amount == 0 and not any(m.open for m in agreement.milestones)), \
            f"agreement {agreement.id} settled flag disagrees with its milestones"
        paid = sum(m.to_provider + m.to_requester + m.to_community_pool for m in agreement.milestones if not m.open)
        assert paid + open_amount == agreement.price, f"agreement {agreement.id} pays out more or less than its price"
        held += agreement.escrow
    escrow = accounts.balance(state, agreements.ESCROW)
    assert escrow == held, f"escrow account holds {escrow}, open agreements hold {held}"


def bonds_match_open_disputes(state) -> None:
    """The dispute-bond account holds exactly the bonds of disputed (unsettled) milestones."""
    held = sum(m.bond for a in agreements.all_agreements(state) for m in a.milestones if m.status is S.DISPUTED)
    bonds = accounts.balance(state, agreements.BONDS)
    assert bonds == held, f"dispute-bond account holds {bonds}, disputed milestones' bonds add up to {held}"


def project_budgets_add_up(state) -> None:
    total = sum(p.budget for p in projects.all_projects(state))
    held = accounts.balance(state, projects.BUDGETS)
    assert held == total, f"project budget account holds {held}, projects' budgets add up to {total}"


def nothing_stuck(state, now: int, cap: int | None = None) -> None:
    """Every non-final object has a time exit (a due key) besides the parties who may act.

    With ``cap`` (the ``max_due_per_block`` in force) an object may be past its
    time while it waits in its queue; without it, every due item must be handled.
    """
    backlog = cap is not None
    for request in market.all_requests(state):
        if request.status is R.OPEN:
            assert backlog or request.offers_until > now, f"open request {request.id} is past its expiry"
            assert state.get(market_keys.due(request.offers_until, request.id)) is not None, \
                f"open request {request.id} has no expiry key"
    for offer in market.all_offers(state):
        if market.offer_status(state, offer, now) is O.OPEN:
            assert state.get(market_keys.offer_link(offer.request_id, offer.id)) is not None, \
                f"open offer {offer.id} is not linked to its request"
    for agreement in agreements.all_agreements(state):
        for index, m in enumerate(agreement.milestones):
            if m.open:
                assert backlog or m.due_at > now, f"milestone {agreement.id}/{index} overdue at {now}"
                assert state.get(agreement_keys.due(m.due_at, agreement.id, index)) is not None, \
                    f"milestone {agreement.id}/{index} has no due key"
    for project in projects.all_projects(state):
        offer = projects.get_offer(state, project.id)
        if offer is not None:
            assert (backlog or offer.expires_at > now) and \
                state.get(project_keys.due(offer.expires_at, project.id)) is not None, \
                f"transfer offer of project {project.id} has no future expiry"


def due_keys_point_at_open_objects(state) -> None:
    """No stale index entries: every due key names an object still waiting for that time."""
    for key, _ in state.iter_prefix(market_keys.DUE_PREFIX):
        _, (request_id,) = timers.parse_time_key(market_keys.DUE_PREFIX, key)
        assert market.get_request(state, request_id).status is R.OPEN, f"stale due key {key!r}"
    for agreement_id, index in agreements.due_milestones(state, 1 << 62):
        assert agreements.get(state, agreement_id).milestones[index].open, f"stale due key {agreement_id}/{index}"
    for project_id in projects.due_offers(state, 1 << 62):
        assert projects.get_offer(state, project_id) is not None, f"stale transfer due key {project_id}"


_NEXT = {
    R.OPEN: {R.ACCEPTED, R.WITHDRAWN, R.EXPIRED},
    O.OPEN: {O.ACCEPTED, O.WITHDRAWN, O.CLOSED},
    S.ACTIVE: {S.DELIVERED, S.DISPUTED, S.RECLAIMED, S.CANCELLED},
    S.DELIVERED: {S.COMPLETED, S.RELEASED, S.DISPUTED, S.CANCELLED},
    S.DISPUTED: {S.RESOLVED, S.DEFAULTED, S.CANCELLED},
}


def _reachable(status) -> set:
    seen, todo = {status}, [status]
    while todo:
        for nxt in _NEXT.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def snapshot_statuses(state) -> dict:
    """Return ``{object key: status}`` for every request, offer, standing offer, milestone and agreement."""
    out: dict = {}
    for r in market.all_requests(state):
        out[("request", r.id)] = r.status
    for o in market.all_offers(state):
        out[("offer", o.id)] = o.status
    for s in market.all_standing(state):
        out[("standing", s.id)] = s.open
    for a in agreements.all_agreements(state):
        out[("agreement", a.id)] = a.settled
        for index, m in enumerate(a.milestones):
            out[("milestone", a.id, index)] = m.status
    return out


def check_transitions(before: dict, after: dict) -> None:
    """Only legal transitions happened between two snapshots; nothing disappeared."""
    missing = sorted(set(before) - set(after))
    assert not missing, f"objects disappeared: {missing[:5]}"
    for key, old in before.items():
        new = after[key]
        if isinstance(old, bool):
            legal = new == old or (key[0] == "agreement" and not old and new) or (key[0] == "standing" and old and not new)
        else:
            legal = new in _reachable(old)
        assert legal, f"illegal transition of {key}: {old} -> {new}"


def project_items_counted(state) -> None:
    """A project's item count (``max_project_items``) is its open requests, open agreements and documents."""
    for project in projects.all_projects(state):
        held = (len(projects.open_requests(state, project.id)) + len(projects.open_agreements(state, project.id))
                + len(list(documents.attachments(state, "project", project.id))))
        counted = projects.items(state, project.id)
        assert counted == held, f"project {project.id} counts {counted} items but holds {held}"


def check_all(state, now: int) -> None:
    supply_conserved(state)
    no_negative_balance(state)
    escrow_matches_open_agreements(state)
    bonds_match_open_disputes(state)
    project_budgets_add_up(state)
    nothing_stuck(state, now)
    due_keys_point_at_open_objects(state)
    project_items_counted(state)
