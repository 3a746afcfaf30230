"""The roles' expiry queue (an END_BLOCK hook): an expired role leaves state, a bounded number per block.

A role is refused from its expiry on (``roles/6``, checked in the handler), so
the queue changes no outcome: it only removes the record, so that expired roles
do not accumulate.  Each block removes at most ``max_due_per_block`` of them,
earliest expiry first (``abci_app.chain.domain.due``); the rest wait, indexed,
for the next blocks.  A role holds no value, so removing it moves none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from abci_app.chain import codec
from abci_app.chain.domain import due
from abci_app.chain.domain.roles import events, keys, state as roles
from abci_app.chain.state import timers
from abci_app.chain.state.protocols import StateWrite

if TYPE_CHECKING:
    from abci_app.chain.context import BlockInfo


def _entry(rest: bytes) -> tuple[int, str]:
    (org_id,), name = timers.read_ids(rest, 1)
    return org_id, name.decode()


def end_block(state: StateWrite, block: BlockInfo) -> list[object]:
    """Remove the roles whose expiry has come, at most the cap per block; one ``RoleLapsed`` each."""
    due_now, report = due.take(state, due.ROLES, keys.EXPIRY_PREFIX, block, _entry)
    out: list[object] = []
    for org_id, name in due_now:
        role = roles.get(state, org_id, name)
        if role is None:     # cannot happen: put and delete keep the queue exact (checked by the invariant suite)
            continue
        roles.delete(state, org_id, name)
        out.append(events.RoleLapsed(org_id, name, role.holder, role.expires_at))
    return out + report


def index_existing(state: StateWrite, height: int) -> None:
    """Migration step (``upgrades.release``): give every stored role its expiry-queue entry (idempotent)."""
    for _, raw in list(state.iter_prefix(keys.ROLE_PREFIX)):
        role = codec.decode_value(roles.Role, bytes(raw))
        state.put(keys.expiry(role.expires_at, role.org_id, role.name), b"")
