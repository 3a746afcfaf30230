"""The dissolution cascade: what a dissolved organization leaves behind gets an exit, a bounded step at a time.

An organization dissolves when its last member leaves, or when the cascade
removes its last member (an organization whose only members were organizations
that dissolved).  ``orgs.mark_dissolved`` queues it; this END_BLOCK hook then
works through the queue, oldest dissolution first, one *step* at a time and at
most ``MarketParams.max_due_per_block`` steps per block (the rest wait, queued,
for the next block).  For the organization at the head of the queue a step is the
first of:

1. **leave one organization it belongs to** (lowest id first): it is removed
   with its weight, without an exit share (nobody stands behind it to receive
   one).  The policy stays as it is; the tally caps a threshold or objection
   weight at the remaining total (``min(t, total)``, at least 1 since every
   weight is), and a percentage is relative, so the remaining members can always
   decide.  An organization left with no member dissolves in turn (its treasury
   goes to the community pool) and joins the queue;
2. **return one project's budget** (lowest id first) to its treasury; a project
   with an open transfer offer keeps its budget for the named target, who may
   still accept it until the offer expires (then the budget returns);
3. **close one open request** (withdrawn, its offers close), **one open offer**
   (withdrawn) or **one standing offer** (withdrawn) it made;
4. otherwise the cascade is done: whatever came back to the treasury goes to the
   community pool, as on dissolution (to the parent's treasury instead for a
   sub-organization whose parent is active: ``suborgs.state.return_to_parent``).

Every step deletes the index entry it used, so each one is O(log n) and the
cascade of an organization with k memberships, projects and open items takes
k + 1 steps.  Proposals of a dissolved organization fail when they come due
(``proposals.execution``); its agreements settle by the agreement rules.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain import addresses
from abci_app.chain.domain import due
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.market import keys as market_keys, state as market
from abci_app.chain.domain.market.events import OfferClosed, StandingOfferWithdrawn
from abci_app.chain.domain.market.state import OfferStatus, RequestStatus
from abci_app.chain.domain.organizations import events, state as orgs
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.events import ProjectBudgetReturned
from abci_app.chain.domain.stored import stored
from abci_app.chain.domain.suborgs import state as suborgs
from abci_app.chain.context import BlockInfo
from abci_app.chain.state.protocols import StateRead, StateWrite


def sweep(state: StateWrite, treasury: str) -> int:
    """Move everything in ``treasury`` to the community pool; return the amount."""
    amount = accounts.balance(state, treasury)
    if amount:
        accounts.move(state, treasury, addresses.COMMUNITY_POOL, amount, "treasury")
    return amount


def dissolve(state: StateWrite, block: BlockInfo, org: orgs.Organization) -> list[object]:
    """Dissolve ``org`` now: its treasury goes to its active parent (a sub-organization) or the community pool,
    and its cascade is queued."""
    returned = suborgs.return_to_parent(state, org)
    orgs.mark_dissolved(state, org, block.time)
    return [events.OrganizationDissolved(org.id, sweep(state, org.treasury)), *returned]


def end_block(state: StateWrite, block: BlockInfo) -> list[object]:
    """Run at most ``max_due_per_block`` cascade steps, oldest dissolution first (a ``due_queue`` report)."""
    out: list[object] = []
    steps = 0
    head = orgs.first_dissolving(state)
    while head is not None and steps < block.market.max_due_per_block:
        out.extend(step(state, block, *head))
        steps += 1
        head = orgs.first_dissolving(state)
    return out + ([due.DueQueue(due.DISSOLUTIONS, steps, head is not None)] if steps else [])


def step(state: StateWrite, block: BlockInfo, queue_key: bytes, org_id: int) -> list[object]:
    """Do the next step of ``org_id``'s cascade (see the module docstring)."""
    org = orgs.require(state, org_id)
    for action in (_leave_one, _return_one_budget, _close_one_request, _close_one_offer, _close_one_standing):
        done = action(state, block, org.treasury)
        if done is not None:
            return done
    state.delete(queue_key)
    returned = suborgs.return_to_parent(state, org)
    return [events.DissolutionCompleted(org.id, sweep(state, org.treasury)), *returned]


def _leave_one(state: StateWrite, block: BlockInfo, treasury: str) -> list[object] | None:
    parent_id = orgs.first_membership(state, treasury)
    if parent_id is None:
        return None
    parent = orgs.require(state, parent_id)
    weight = orgs.weight_of(parent.members, treasury)
    remaining = tuple(m for m in parent.members if m.address != treasury)
    out: list[object] = [events.MemberRemoved(parent.id, treasury, weight, orgs.total_weight(remaining))]
    if remaining:
        orgs.put(state, replace(parent, members=remaining))
        return out
    return out + dissolve(state, block, parent)


def _return_one_budget(state: StateWrite, block: BlockInfo, treasury: str) -> list[object] | None:
    project_id = projects.first_owned(state, treasury)
    if project_id is None:
        return None
    projects.unindex_owner(state, treasury, project_id)
    project = stored(projects.get(state, project_id), f"project {project_id}")
    offer = projects.get_offer(state, project_id)
    if project.owner != treasury or (offer is not None and block.time < offer.expires_at):
        return []   # the named successor may still accept; on expiry the budget returns (projects.end_block)
    return [ProjectBudgetReturned(project.id, treasury, projects.return_budget(state, project, block.time))]


def _close_one_request(state: StateWrite, block: BlockInfo, treasury: str) -> list[object] | None:
    from abci_app.chain.domain.market.handlers import close_request   # late: market handlers import settlement code

    request_id = market.first_open_of(state, market_keys.REQUESTS_BY, treasury)
    if request_id is None:
        return None
    request = stored(market.get_request(state, request_id), f"request {request_id}")
    if request.status is not RequestStatus.OPEN:   # an entry never outlives its request's openness; belt and braces
        state.delete(market_keys.by_address_link(market_keys.REQUESTS_BY, treasury, request_id))
        return []
    return close_request(state, request, RequestStatus.WITHDRAWN)


def _close_one_offer(state: StateWrite, block: BlockInfo, treasury: str) -> list[object] | None:
    offer_id = market.first_open_of(state, market_keys.OFFERS_BY, treasury)
    if offer_id is None:
        return None
    offer = stored(market.get_offer(state, offer_id), f"offer {offer_id}")
    if market.offer_status(state, offer, block.time) is not OfferStatus.OPEN:   # closed with its request (lazily)
        state.delete(market_keys.by_address_link(market_keys.OFFERS_BY, treasury, offer_id))
        return []
    market.put_offer(state, replace(offer, status=OfferStatus.WITHDRAWN))
    market.unlink_offer(state, offer.request_id, offer.id)
    return [OfferClosed(offer.id, offer.request_id, OfferStatus.WITHDRAWN.value)]


def _close_one_standing(state: StateWrite, block: BlockInfo, treasury: str) -> list[object] | None:
    standing_id = market.first_open_of(state, market_keys.STANDING_BY, treasury)
    if standing_id is None:
        return None
    standing = stored(market.get_standing(state, standing_id), f"standing offer {standing_id}")
    market.put_standing(state, replace(standing, open=False))
    return [StandingOfferWithdrawn(standing_id)]
