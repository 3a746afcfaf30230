"""Typed state access for roles and the pure budget rules.

Periods are counted from the grant: period ``i`` is ``[granted_at + i*period,
granted_at + (i+1)*period)``.  ``spent`` belongs to period ``period_index``; a use in a
later period starts from zero.  Integer arithmetic only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from abci_app.chain import codec
from abci_app.chain.domain.roles import keys
from abci_app.chain.domain.roles.errors import RoleNotFound
from abci_app.chain.state.protocols import StateRead, StateWrite


@dataclass(frozen=True, slots=True)
class Role:
    org_id: int
    name: str
    holder: str
    kinds: tuple[str, ...]
    limit: int
    period: int
    expires_at: int
    granted_at: int
    period_index: int = 0
    spent: int = 0          # in period ``period_index``
    uses: int = 0


def period_of(role: Role, time: int) -> int:
    return (time - role.granted_at) // role.period


def spent_now(role: Role, time: int) -> int:
    """What the role has spent in the period holding ``time``."""
    return role.spent if period_of(role, time) == role.period_index else 0


def remaining(role: Role, time: int) -> int:
    """What is left of the budget in the period holding ``time`` (0 once expired)."""
    return 0 if time >= role.expires_at else role.limit - spent_now(role, time)


def get(state: StateRead, org_id: int, name: str) -> Role | None:
    raw = state.get(keys.role(org_id, name))
    return None if raw is None else codec.decode_value(Role, raw)


def require(state: StateRead, org_id: int, name: str) -> Role:
    found = get(state, org_id, name)
    if found is None:
        raise RoleNotFound(f"organization {org_id} has no role {name!r}")
    return found


def put(state: StateWrite, role: Role) -> None:
    """Store ``role`` and keep its one entry in the expiry queue (``keys.expiry``) at its expiry."""
    old = get(state, role.org_id, role.name)
    if old is not None and old.expires_at != role.expires_at:
        state.delete(keys.expiry(old.expires_at, old.org_id, old.name))
    state.put(keys.role(role.org_id, role.name), codec.encode_value(role))
    state.put(keys.expiry(role.expires_at, role.org_id, role.name), b"")


def delete(state: StateWrite, org_id: int, name: str) -> None:
    """Remove the role and its expiry-queue entry."""
    old = get(state, org_id, name)
    if old is not None:
        state.delete(keys.expiry(old.expires_at, org_id, name))
    state.delete(keys.role(org_id, name))


def of_org(state: StateRead, org_id: int) -> Iterator[Role]:
    for _, raw in state.iter_prefix(keys.of_org(org_id)):
        yield codec.decode_value(Role, raw)
