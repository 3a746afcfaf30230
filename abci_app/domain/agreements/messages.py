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
    """Either party: put an active or delivered milestone before the arbiter."""

    agreement_id: int
    milestone: int
    reason_hash: bytes = b""


@dataclass(frozen=True, slots=True)
class ResolveDispute:
    """Arbiter: split a disputed milestone's escrow; ``provider_bps`` of 10000 go to the provider."""

    agreement_id: int
    milestone: int
    provider_bps: int


@dataclass(frozen=True, slots=True)
class CancelAgreement:
    """Either party: propose cancelling; the other party sending the same message confirms (refund)."""

    agreement_id: int


@dataclass(frozen=True, slots=True)
class RateAgreement:
    """Either party of a settled agreement: rate the other once, 1 to 5."""

    agreement_id: int
    score: int
    comment_hash: bytes = b""
