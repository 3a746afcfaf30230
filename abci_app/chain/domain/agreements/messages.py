"""Messages of the agreements module.  ``milestone`` is the 0-based index in the agreement."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DeliverMilestone:
    """Provider: mark a milestone delivered, naming the delivery document's SHA-256 hash."""

    agreement_id: int
    milestone: int
    delivery_hash: bytes


@dataclass(frozen=True, slots=True)
class AcceptMilestone:
    """Requester: accept a delivered milestone; its escrow is paid to the provider."""

    agreement_id: int
    milestone: int


@dataclass(frozen=True, slots=True)
class ReclaimMilestone:
    """Requester: take back an undelivered milestone's escrow after its deadline (broken)."""

    agreement_id: int
    milestone: int


@dataclass(frozen=True, slots=True)
class DisputeMilestone:
    """Requester: put a delivered milestone before the arbiter, within its review window.

    The requester escrows a bond of ``dispute_bond_bps`` of the milestone's amount; it is
    split like the arbiter's split, or goes with the amount to the community pool when
    no arbiter decides in time.
    """

    agreement_id: int
    milestone: int
    reason_hash: bytes = b""


@dataclass(frozen=True, slots=True)
class ResolveDispute:
    """Arbiter, within the arbitration window: split a disputed milestone's escrow and bond;
    ``provider_bps`` of 10000 go to the provider."""

    agreement_id: int
    milestone: int
    provider_bps: int


@dataclass(frozen=True, slots=True)
class CancelAgreement:
    """Either party: propose cancelling, confirm the other party's proposal, or withdraw one's own.

    ``revision`` is the agreement revision the signer saw: a proposal or confirmation
    naming any other revision is refused (``StaleRevision``), so nobody confirms a
    proposal made before a delivery.  A proposal stands until ``cancel_window`` passes
    or the agreement changes; confirming it refunds every open milestone.  With
    ``withdraw`` the proposer takes back a standing proposal (``revision`` is not checked).
    """

    agreement_id: int
    revision: int = 0
    withdraw: bool = False


@dataclass(frozen=True, slots=True)
class RateAgreement:
    """Either party of a settled agreement: rate the other once, 1 to 5."""

    agreement_id: int
    score: int
    comment_hash: bytes = b""
