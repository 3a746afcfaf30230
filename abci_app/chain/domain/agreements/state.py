"""Typed state access for agreements and their milestones.

# Invariants
* ``ESCROW``'s balance equals the sum of ``escrow`` over all agreements; an
  agreement's ``escrow`` equals the sum of its unsettled milestones' amounts.
* ``BONDS``'s balance equals the sum of ``bond`` over disputed milestones (a
  dispute bond is held from the dispute until the milestone settles).
* Every unsettled milestone has exactly one due key, at its ``due_at``: the
  block time from which the end-of-block hook settles it (reclaim, release or the
  default outcome) and from which no handler may deliver, dispute or resolve it.
  Settled milestones have none.
* ``revision`` grows with every stored change of an agreement (``put`` bumps it);
  a cancel proposal lives only at the revision it was made at (``cancel_revision``)
  and until ``cancel_expires_at``: any later change clears it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Iterator

from abci_app.chain import addresses, codec
from abci_app.chain.domain.agreements import keys
from abci_app.chain.state import timers
from abci_app.chain.state.protocols import StateRead, StateWrite

ESCROW = addresses.module("escrow")
BONDS = addresses.module("dispute_bonds")
REQUESTER = "requester"
PROVIDER = "provider"


class MilestoneStatus(enum.Enum):
    ACTIVE = "active"
    DELIVERED = "delivered"
    DISPUTED = "disputed"
    COMPLETED = "completed"    # accepted by the requester
    RELEASED = "released"      # review window ended in silence
    RECLAIMED = "reclaimed"    # deadline passed undelivered: refunded, broken
    RESOLVED = "resolved"      # split by the arbiter
    DEFAULTED = "defaulted"    # no arbiter or a silent one: amount and bond to the community pool
    CANCELLED = "cancelled"    # both parties agreed: refunded


OPEN_STATES = (MilestoneStatus.ACTIVE, MilestoneStatus.DELIVERED, MilestoneStatus.DISPUTED)


@dataclass(frozen=True, slots=True)
class Milestone:
    title: str
    amount: int
    deadline: int
    status: MilestoneStatus = MilestoneStatus.ACTIVE
    due_at: int = 0
    delivered_at: int = 0
    delivery_hash: bytes = b""
    disputed_at: int = 0
    disputed_by: str = ""
    reason_hash: bytes = b""
    to_provider: int = 0
    to_requester: int = 0
    settled_at: int = 0
    bond: int = 0               # dispute bond held in BONDS while disputed (what was posted, kept after)
    bond_payer: str = ""        # who posted the bond (the requester when it disputed)
    to_community_pool: int = 0  # the milestone's amount a defaulted dispute gave to neither party

    @property
    def open(self) -> bool:
        return self.status in OPEN_STATES


@dataclass(frozen=True, slots=True)
class Agreement:
    id: int
    requester: str
    provider: str
    arbiter: str
    price: int
    escrow: int
    terms: bytes
    tags: tuple[str, ...]
    project_id: int
    request_id: int
    standing_offer_id: int
    milestones: tuple[Milestone, ...]
    created_at: int
    posted_at: int
    first_offer_at: int
    txs: int
    fees: int
    settled: bool = False
    outcome: str = ""
    settled_at: int = 0
    cancel_proposed_by: str = ""
    revision: int = 0           # bumped by every stored change (``put``)
    cancel_revision: int = 0    # the revision the live cancel proposal was stored at
    cancel_expires_at: int = 0  # block time from which the cancel proposal is void

    def cancel_live(self, now: int) -> bool:
        """Whether a cancel proposal stands: made, not changed since (``put`` clears it) and not expired."""
        return bool(self.cancel_proposed_by) and now < self.cancel_expires_at

    def role_of(self, address: str) -> str:
        """Return ``"requester"``, ``"provider"`` or ``""``."""
        if address == self.requester:
            return REQUESTER
        if address == self.provider:
            return PROVIDER
        return ""


@dataclass(frozen=True, slots=True)
class Rating:
    agreement_id: int
    rater: str
    rated: str
    score: int
    comment_hash: bytes
    rated_at: int


def next_id(state: StateWrite) -> int:
    raw = state.get(keys.NEXT_ID)
    value = 1 if raw is None else int(raw)
    state.put(keys.NEXT_ID, str(value + 1).encode())
    return value


def get(state: StateRead, agreement_id: int) -> Agreement | None:
    raw = state.get(keys.agreement(agreement_id))
    return None if raw is None else codec.decode_value(Agreement, raw)


def put(state: StateWrite, agreement: Agreement) -> Agreement:
    """Store ``agreement`` at the next revision and return what was stored.

    A cancel proposal survives only the write that records it (``cancel_revision`` is
    that write's revision); any later change of the agreement clears it.
    """
    revision = agreement.revision + 1
    if agreement.cancel_proposed_by and agreement.cancel_revision != revision:
        agreement = replace(agreement, cancel_proposed_by="", cancel_revision=0, cancel_expires_at=0)
    agreement = replace(agreement, revision=revision)
    state.put(keys.agreement(agreement.id), codec.encode_value(agreement))
    return agreement


def all_agreements(state: StateRead) -> Iterator[Agreement]:
    for _, raw in state.iter_prefix(keys.AGREEMENT_PREFIX):
        yield codec.decode_value(Agreement, raw)


def schedule(state: StateWrite, agreement_id: int, index: int, due_at: int) -> None:
    state.put(keys.due(due_at, agreement_id, index), b"")


def unschedule(state: StateWrite, agreement_id: int, index: int, due_at: int) -> None:
    state.delete(keys.due(due_at, agreement_id, index))


def parse_due(rest: bytes) -> tuple[int, int]:
    """Return ``(agreement_id, milestone)`` of a due key's rest (``timers.read_ids``)."""
    (agreement_id, milestone), _ = timers.read_ids(rest, 2)
    return agreement_id, milestone


def due_milestones(state: StateRead, now: int, limit: int = 1 << 63) -> list[tuple[int, int]]:
    """Return ``(agreement_id, milestone)`` pairs due at or before ``now``, in time order (at most ``limit``)."""
    return [parse_due(fields) for fields in timers.due_batch(state, keys.DUE_PREFIX, now, limit).entries]


def get_rating(state: StateRead, agreement_id: int, role: str) -> Rating | None:
    raw = state.get(keys.rating(agreement_id, role))
    return None if raw is None else codec.decode_value(Rating, raw)


def put_rating(state: StateWrite, role: str, rating: Rating) -> None:
    state.put(keys.rating(rating.agreement_id, role), codec.encode_value(rating))
