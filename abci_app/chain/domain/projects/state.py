"""Typed state access for projects: records, budgets, transfer offers, links, history.

# Invariants
* The balance of ``BUDGETS`` equals the sum of all projects' ``budget``: every
  change of one goes through ``fund``/``spend``/``refund`` here, which move the
  other by the same amount.
* A project has at most one transfer offer, and that offer has a due key.
* A project is listed under its owner (``keys.owned_by``) from creation until
  the dissolution cascade of an owning organization has handled it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from abci_app.chain import addresses, codec
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.projects import keys
from abci_app.chain.domain.stored import stored
from abci_app.chain.errors import InsufficientBudget, ProjectFull
from abci_app.chain.state import timers
from abci_app.chain.state.protocols import StateRead, StateWrite

BUDGETS = addresses.module("project_budgets")


@dataclass(frozen=True, slots=True)
class Project:
    id: int
    owner: str
    title: str
    description: str
    budget: int
    created_at: int
    history_len: int = 0


@dataclass(frozen=True, slots=True)
class TransferOffer:
    project_id: int
    source: str
    target: str
    offered_at: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    time: int
    kind: str      # created, funded, withdrawn, spent, refunded, offered, offer_withdrawn, offer_expired, transferred, ...
    actor: str
    amount: int = 0
    ref: int = 0   # request or agreement id, when the entry concerns one
    detail: str = ""


def get(state: StateRead, project_id: int) -> Project | None:
    raw = state.get(keys.project(project_id))
    return None if raw is None else codec.decode_value(Project, raw)


def put(state: StateWrite, project: Project) -> None:
    state.put(keys.project(project.id), codec.encode_value(project))


def next_id(state: StateWrite) -> int:
    raw = state.get(keys.NEXT_ID)
    value = 1 if raw is None else int(raw)
    state.put(keys.NEXT_ID, str(value + 1).encode())
    return value


def all_projects(state: StateRead) -> Iterator[Project]:
    for _, raw in state.iter_prefix(keys.PROJECT_PREFIX):
        yield codec.decode_value(Project, raw)


def record(state: StateWrite, project_id: int, entry: HistoryEntry) -> None:
    """Append ``entry`` to the project's history."""
    project = stored(get(state, project_id), f"project {project_id}")
    state.put(keys.history(project_id, project.history_len), codec.encode_value(entry))
    put(state, replace(project, history_len=project.history_len + 1))


def history(state: StateRead, project_id: int) -> list[HistoryEntry]:
    return [codec.decode_value(HistoryEntry, raw) for _, raw in state.iter_prefix(keys.history_of(project_id))]


def fund(state: StateWrite, project_id: int, payer: str, amount: int) -> None:
    """Move ``amount`` from ``payer`` into the project's budget."""
    accounts.move(state, payer, BUDGETS, amount)
    project = stored(get(state, project_id), f"project {project_id}")
    put(state, replace(project, budget=project.budget + amount))


def spend(state: StateWrite, project_id: int, recipient: str, amount: int) -> None:
    """Move ``amount`` of the project's budget to ``recipient``; ``InsufficientBudget`` if short."""
    project = stored(get(state, project_id), f"project {project_id}")
    if project.budget < amount:
        raise InsufficientBudget(f"project {project_id} budget is {project.budget}, needs {amount}")
    put(state, replace(project, budget=project.budget - amount))
    accounts.move(state, BUDGETS, recipient, amount, "project budgets")


def refund(state: StateWrite, project_id: int, payer: str, amount: int, time: int = 0) -> None:
    """Return ``amount`` from ``payer`` (escrow) to the project's budget.

    When the owner is a dissolved organization whose cascade is over (no open
    transfer offer can take the project), the refund goes on to the owner's
    treasury, where anyone may sweep it to the community pool: no budget is left
    that nobody can withdraw.
    """
    fund(state, project_id, payer, amount)
    project = stored(get(state, project_id), f"project {project_id}")
    if owner_dissolved(state, project) and get_offer(state, project_id) is None:
        return_budget(state, project, time)


def owner_dissolved(state: StateRead, project: Project) -> bool:
    """True if the owner is the treasury of a dissolved organization."""
    from abci_app.chain.domain.organizations import state as orgs   # late: organizations import market modules
    org_id = orgs.by_treasury(state, project.owner)
    return org_id is not None and orgs.require(state, org_id).status != orgs.ACTIVE


def return_budget(state: StateWrite, project: Project, time: int) -> int:
    """Move the whole budget to the owner's account (a dissolved organization's treasury); return the amount."""
    if project.budget:
        spend(state, project.id, project.owner, project.budget)
        record(state, project.id, HistoryEntry(time, "returned", project.owner, project.budget))
    return project.budget


def index_owner(state: StateWrite, project_id: int, old_owner: str, new_owner: str) -> None:
    """List the project under ``new_owner`` (and no longer under ``old_owner``, if given)."""
    if old_owner:
        state.delete(keys.owner_link(old_owner, project_id))
    state.put(keys.owner_link(new_owner, project_id), b"")


def first_owned(state: StateRead, owner: str) -> int | None:
    """Return the lowest id of a project still listed under ``owner``."""
    prefix = keys.owned_by(owner)
    for key, _ in state.iter_prefix(prefix):
        return int(key[len(prefix):], 16)
    return None


def unindex_owner(state: StateWrite, owner: str, project_id: int) -> None:
    state.delete(keys.owner_link(owner, project_id))


def get_offer(state: StateRead, project_id: int) -> TransferOffer | None:
    raw = state.get(keys.transfer_offer(project_id))
    return None if raw is None else codec.decode_value(TransferOffer, raw)


def put_offer(state: StateWrite, offer: TransferOffer) -> None:
    state.put(keys.transfer_offer(offer.project_id), codec.encode_value(offer))
    state.put(keys.due(offer.expires_at, offer.project_id), b"")


def drop_offer(state: StateWrite, offer: TransferOffer) -> None:
    state.delete(keys.transfer_offer(offer.project_id))
    state.delete(keys.due(offer.expires_at, offer.project_id))


def due_offers(state: StateRead, now: int) -> list[int]:
    """Return the ids of projects whose transfer offer expires at or before ``now``, in time order."""
    return timers.due_ids(state, keys.DUE_PREFIX, now)


def items(state: StateRead, project_id: int) -> int:
    """How many open requests, unsettled agreements and attached documents the project holds."""
    raw = state.get(keys.items(project_id))
    return 0 if raw is None else int(raw)


def require_room(state: StateRead, project_id: int, cap: int) -> None:
    """Refuse a new item beyond ``cap``, the block's ``max_project_items`` (``ProjectFull``).

    A project's transfer hands every item over in one transaction, so the cap
    bounds what ``AcceptProject`` (and a proposal running it) can cost.
    """
    if items(state, project_id) >= cap:
        raise ProjectFull(f"project {project_id} already holds {cap} open requests, agreements and documents "
                          f"(max_project_items)")


def _count(state: StateWrite, project_id: int, change: int) -> None:
    state.put(keys.items(project_id), b"%d" % (items(state, project_id) + change))


def _link(state: StateWrite, key: bytes, project_id: int, linked: bool) -> None:
    """Set or clear one of the project's item links, keeping the item count in step."""
    if (state.get(key) is not None) == linked:
        return
    _count(state, project_id, 1 if linked else -1)
    if linked:
        state.put(key, b"")
    else:
        state.delete(key)


def add_document(state: StateWrite, project_id: int) -> None:
    """Count a document newly attached to the project (attachments are never removed)."""
    _count(state, project_id, 1)


def link_request(state: StateWrite, project_id: int, request_id: int) -> None:
    _link(state, keys.request_link(project_id, request_id), project_id, True)


def unlink_request(state: StateWrite, project_id: int, request_id: int) -> None:
    _link(state, keys.request_link(project_id, request_id), project_id, False)


def open_requests(state: StateRead, project_id: int) -> list[int]:
    prefix = keys.requests_of(project_id)
    return [int(k[len(prefix):], 16) for k, _ in state.iter_prefix(prefix)]


def link_agreement(state: StateWrite, project_id: int, agreement_id: int) -> None:
    _link(state, keys.agreement_link(project_id, agreement_id), project_id, True)


def unlink_agreement(state: StateWrite, project_id: int, agreement_id: int) -> None:
    _link(state, keys.agreement_link(project_id, agreement_id), project_id, False)


def open_agreements(state: StateRead, project_id: int) -> list[int]:
    prefix = keys.agreements_of(project_id)
    return [int(k[len(prefix):], 16) for k, _ in state.iter_prefix(prefix)]
