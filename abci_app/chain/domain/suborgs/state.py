"""Typed state access for parent-child links, and where a dissolved child's value goes.

``return_to_parent`` is what the dissolution code calls before it sweeps a
treasury to the community pool: a sub-organization with an active parent hands
its treasury to the parent instead (the pool gets what is left: nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain import codec
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.suborgs import keys
from abci_app.chain.domain.suborgs.events import ValueReturnedToParent
from abci_app.chain.state.protocols import StateRead, StateWrite


@dataclass(frozen=True, slots=True)
class SubLink:
    org_id: int
    parent_id: int
    veto_window: int
    created_at: int


def get(state: StateRead, org_id: int) -> SubLink | None:
    raw = state.get(keys.link(org_id))
    return None if raw is None else codec.decode_value(SubLink, raw)


def put(state: StateWrite, link: SubLink) -> None:
    state.put(keys.link(link.org_id), codec.encode_value(link))
    state.put(keys.child(link.parent_id, link.org_id), b"")


def children(state: StateRead, parent_id: int) -> list[int]:
    prefix = keys.children(parent_id)
    return [int(key[len(prefix):]) for key, _ in state.iter_prefix(prefix)]


def active_parent(state: StateRead, org_id: int) -> orgs.Organization | None:
    link = get(state, org_id)
    if link is None:
        return None
    parent = orgs.get(state, link.parent_id)
    return parent if parent is not None and parent.status == orgs.ACTIVE else None


def return_to_parent(state: StateWrite, org: orgs.Organization) -> list[object]:
    """Move ``org``'s treasury to its active parent; return the event (nothing when there is no parent or value)."""
    parent = active_parent(state, org.id)
    amount = accounts.balance(state, org.treasury)
    if parent is None or amount == 0:
        return []
    accounts.move(state, org.treasury, parent.treasury, amount, "treasury")
    return [ValueReturnedToParent(org.id, parent.id, amount)]
