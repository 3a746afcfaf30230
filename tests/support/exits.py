"""Exit checker: every unit of value has an exit some party can take within a bounded time.

    from tests.support.exits import locked_value
    assert locked_value(chain.state, chain.time) == []

``locked_value(state, block_time)`` walks the state and returns one ``Locked(place,
amount, why)`` per holding that no party can move out within a bounded time from
this state.  The places and their exits are the table "Where value sits" in
``docs/lifecycles.md``:

* a person's account: its key holder (never reported; any address that is not a
  module account or an organization's treasury is taken to have a key);
* an organization's treasury: a passed proposal (active organization that can
  still decide, see ``live_organizations``), or ``SweepTreasury`` by anyone
  (dissolved organization);
* escrow: every unsettled milestone has a due key (a block-time exit);
* dispute bonds: every disputed milestone's bond leaves with it at its due key
  (split by the arbiter, or to the community pool when no decision comes);
* project budgets: the owner (if it can act), the target of an open transfer
  offer (if it can act and the offer is still open), or the dissolution cascade
  (an owner that is a dissolved organization whose cascade has yet to reach it);
* dissolved organizations still in the cascade's queue count as already removed
  from the organizations they belonged to (the cascade does that within the
  backlog of ``max_due_per_block`` steps per block);
* stream reserves: accrual to the recipient by a bounded time, then ``ClaimStream`` by anyone;
* the community pool: a passed proposal of the network organization, when the
  chain has a spend path (``SpendCommunityPool``) and a network organization that
  can decide.

A module account whose balance exceeds what its records explain is reported as
locked too (nothing can address the surplus).

**Extension hook.**  Other places register a function ``fn(view) -> iterable of
Holding`` with ``register_place(name, fn)`` (for example dispute-bond escrow); a
holding's ``account`` names the module account it sits in, so the surplus check
counts it, and a holding with a non-empty ``why`` is reported as locked.  Module
accounts that no core place knows are added with ``register_module_account``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import keys as agreement_keys, state as agreements
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import BASIS_POINTS, LAZY, PERCENTAGE, THRESHOLD
from abci_app.chain.domain.projects import keys as project_keys, state as projects
from abci_app.chain.domain.streams import state as streams
from abci_app.chain.domain.validators import state as validators


@dataclass(frozen=True, slots=True)
class Locked:
    place: str
    amount: int
    why: str


@dataclass(frozen=True, slots=True)
class Holding:
    """``amount`` sitting in module account ``account`` for ``place``; ``why`` is empty when it has an exit."""

    account: str
    place: str
    amount: int
    why: str = ""


PlaceFn = Callable[["ExitView"], Iterable[Holding]]
PLACES: dict[str, PlaceFn] = {}
MODULE_ACCOUNTS: dict[str, str] = {
    agreements.ESCROW: "escrow",
    agreements.BONDS: "dispute bonds",
    projects.BUDGETS: "project budgets",
    streams.RESERVES: "stream reserves",
    addresses.COMMUNITY_POOL: "community pool",
}


def register_place(name: str, fn: PlaceFn) -> PlaceFn:
    """Add (or replace) a place the checker walks; return ``fn`` so it can be used as a decorator body."""
    PLACES[name] = fn
    return fn


def register_module_account(address: str, name: str) -> None:
    """Declare a keyless account: its balance must be explained by holdings of some place."""
    MODULE_ACCOUNTS[address] = name


class ExitView:
    """The state at ``block_time`` with the answers places need: who can still act."""

    def __init__(self, state, block_time: int) -> None:
        self.state = state
        self.block_time = block_time
        self.organizations = {org.id: org for org in orgs.all_organizations(state)}
        self.by_treasury = {org.treasury: org for org in self.organizations.values()}
        self.cascading = set(orgs.dissolving(state))    # dissolved, cascade still queued (bounded: the backlog)
        leaving = {self.organizations[i].treasury for i in self.cascading}
        self.live = live_organizations(self.organizations.values(), self.is_person, leaving)

    def is_person(self, address: str) -> bool:
        """True for an address a key may sign for (not a module account, not a treasury)."""
        return address not in MODULE_ACCOUNTS and address not in self.by_treasury

    def can_act(self, address: str) -> bool:
        """True if ``address`` can sign (a person) or decide (a live organization's treasury)."""
        if self.is_person(address):
            return True
        org = self.by_treasury.get(address)
        return org is not None and org.id in self.live

    def describe(self, address: str) -> str:
        org = self.by_treasury.get(address)
        if org is None:
            return f"module account {MODULE_ACCOUNTS.get(address, address)}"
        if org.status != orgs.ACTIVE:
            return f"organization {org.id} (dissolved)"
        return f"organization {org.id} (cannot decide: {_weights(org, self)})"


def policy_passes(policy, total: int, weight: int) -> bool:
    """True if ``weight`` of yes votes (out of ``total``) passes ``policy`` with nobody objecting."""
    if policy.kind == THRESHOLD:
        return weight >= min(policy.threshold, total)
    if policy.kind == PERCENTAGE:
        return weight * BASIS_POINTS >= policy.threshold * total
    if policy.kind == LAZY:
        return weight > 0
    return False


def live_organizations(organizations: Iterable, is_person: Callable[[str], bool],
                       leaving: frozenset | set = frozenset()) -> set[int]:
    """Ids of active organizations whose live members (persons, live organizations) can pass a proposal.

    The least fixed point: an organization counts only once the members it relies
    on count, so a cycle of organizations with no person behind it is not live.
    Members in ``leaving`` (dissolved organizations the cascade has yet to remove)
    are left out, as the cascade will leave them out within the backlog; an
    organization that keeps no other member will dissolve, so its value has an
    exit too (counted live).
    """
    candidates = sorted((o for o in organizations if o.status == orgs.ACTIVE), key=lambda o: o.id)
    treasury_ids = {o.treasury: o.id for o in candidates}
    live: set[int] = set()
    changed = True
    while changed:
        changed = False
        for org in candidates:
            if org.id in live:
                continue
            members = tuple(m for m in org.members if m.address not in leaving)
            weight = sum(m.weight for m in members if is_person(m.address) or treasury_ids.get(m.address) in live)
            if not members or (weight and policy_passes(org.policy, orgs.total_weight(members), weight)):
                live.add(org.id)
                changed = True
    return live


def _weights(org, view: ExitView) -> str:
    alive = sum(m.weight for m in org.members if view.can_act(m.address))
    return f"live weight {alive} of {orgs.total_weight(org.members)}, policy kind {org.policy.kind} " \
           f"threshold {org.policy.threshold}"


# -- core places ------------------------------------------------------------------------------


def treasuries(view: ExitView) -> Iterable[Holding]:
    """An active organization spends by proposal; a dissolved one is swept to the pool by anyone."""
    for org in view.organizations.values():
        amount = accounts.balance(view.state, org.treasury)
        if not amount:
            continue
        why = ""
        if org.status == orgs.ACTIVE and org.id not in view.live:
            why = f"organization {org.id} cannot decide ({_weights(org, view)}) and is not dissolved"
        yield Holding(org.treasury, f"treasury of organization {org.id}", amount, why)


def escrow(view: ExitView) -> Iterable[Holding]:
    """Every unsettled milestone leaves escrow at its due time (reclaim, release, default to the pool)."""
    for agreement in agreements.all_agreements(view.state):
        for index, ms in enumerate(agreement.milestones):
            if not ms.open:
                continue
            due = view.state.get(agreement_keys.due(ms.due_at, agreement.id, index)) is not None
            why = "" if due else f"milestone is {ms.status.value} with no due key (no block-time exit)"
            yield Holding(agreements.ESCROW, f"escrow: agreement {agreement.id} milestone {index}", ms.amount, why)


def dispute_bonds(view: ExitView) -> Iterable[Holding]:
    """A disputed milestone's bond leaves with the milestone: resolved, defaulted at its due time, or cancelled."""
    for agreement in agreements.all_agreements(view.state):
        for index, ms in enumerate(agreement.milestones):
            if not ms.bond or not ms.open:
                continue
            due = view.state.get(agreement_keys.due(ms.due_at, agreement.id, index)) is not None
            why = "" if due else f"disputed milestone's bond has no due key (no block-time exit)"
            yield Holding(agreements.BONDS, f"dispute bond: agreement {agreement.id} milestone {index}", ms.bond, why)


def project_budgets(view: ExitView) -> Iterable[Holding]:
    """The owner withdraws; else the target of an open transfer offer takes it; else the cascade returns it."""
    for project in projects.all_projects(view.state):
        if project.budget:
            yield Holding(projects.BUDGETS, f"budget of project {project.id}", project.budget,
                          _budget_why(view, project))


def _budget_why(view: ExitView, project) -> str:
    if view.can_act(project.owner):
        return ""
    offer = projects.get_offer(view.state, project.id)
    if offer is not None and view.block_time < offer.expires_at and view.can_act(offer.target):
        return ""
    owner = view.by_treasury.get(project.owner)
    listed = view.state.get(project_keys.owner_link(project.owner, project.id)) is not None
    if owner is not None and owner.id in view.cascading and listed:
        return ""   # the dissolution cascade returns it within the backlog
    return f"owner is {view.describe(project.owner)}; nobody else may move the budget"


def community_pool(view: ExitView) -> Iterable[Holding]:
    """Spent only by proposals of the network organization (``SpendCommunityPool``)."""
    amount = accounts.balance(view.state, addresses.COMMUNITY_POOL)
    if not amount:
        return
    org_id = validators.network_org(view.state)
    why = ""
    if not _pool_spend_path():
        why = "no message spends the community pool"
    elif org_id is None:
        why = "this chain has no network organization to spend it"
    elif org_id not in view.live:
        why = f"the network organization {org_id} cannot decide"
    yield Holding(addresses.COMMUNITY_POOL, "community pool", amount, why)


def _pool_spend_path() -> bool:
    from abci_app.chain import components   # late: the registry is built at import
    return any(kind.__name__ == "SpendCommunityPool" for kind in components.ROUTER)


def stream_reserves(view: ExitView) -> Iterable[Holding]:
    """A stream's unpaid reserve accrues to its recipient by ``end_of_accrual`` and anyone may claim it for them."""
    for stream in streams.all_streams(view.state):
        unpaid = stream.total - stream.claimed
        if unpaid:
            why = "" if stream.period > 0 and stream.amount_per_period > 0 else "stream never accrues"
            yield Holding(streams.RESERVES, f"reserve of stream {stream.id}", unpaid, why)


register_place("treasuries", treasuries)
register_place("stream reserves", stream_reserves)
register_place("escrow", escrow)
register_place("dispute bonds", dispute_bonds)
register_place("project budgets", project_budgets)
register_place("community pool", community_pool)


# -- the walk -----------------------------------------------------------------------------------


def locked_value(state, block_time: int) -> list[Locked]:
    """Return every holding no party can move out within a bounded time, in place order.

    Holdings with no exit are reported one by one; a module account holding more
    than its places explain is reported once with the surplus.
    """
    view = ExitView(state, block_time)
    out: list[Locked] = []
    explained: dict[str, int] = {}
    for name in sorted(PLACES):
        for holding in PLACES[name](view):
            explained[holding.account] = explained.get(holding.account, 0) + holding.amount
            if holding.why:
                out.append(Locked(holding.place, holding.amount, holding.why))
    for address, name in sorted(MODULE_ACCOUNTS.items(), key=lambda item: item[1]):
        surplus = accounts.balance(state, address) - explained.get(address, 0)
        if surplus > 0:
            out.append(Locked(name, surplus, f"{name} holds {surplus} more than its records explain"))
    return out


def assert_no_locked_value(state, block_time: int) -> None:
    """Fail with every locked holding listed."""
    locked = locked_value(state, block_time)
    assert not locked, "value with no exit:\n" + "\n".join(f"  {x.place}: {x.amount} ({x.why})" for x in locked)
