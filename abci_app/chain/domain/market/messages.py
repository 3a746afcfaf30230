"""Messages of the market module.

Times are block times in whole seconds since the Unix epoch; ``0``, ``""`` and
``b""`` mean "absent" for optional fields (proto3 defaults).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MilestoneSpec:
    """One deliverable of an offer: its share of the price and its delivery deadline."""

    title: str
    amount: int
    deadline: int


@dataclass(frozen=True, slots=True)
class PostRequest:
    """Ask for work; offers are accepted until ``offers_until``.  ``project_id`` 0: paid by the signer."""

    title: str
    description: str
    tags: tuple[str, ...] = ()
    budget: int = 0
    offers_until: int = 0
    documents: tuple[bytes, ...] = ()
    project_id: int = 0


@dataclass(frozen=True, slots=True)
class WithdrawRequest:
    request_id: int


@dataclass(frozen=True, slots=True)
class MakeOffer:
    """Answer a request.  No milestones means one milestone of the whole price at ``deadline``."""

    request_id: int
    price: int
    deadline: int
    milestones: tuple[MilestoneSpec, ...] = ()
    terms: bytes = b""
    arbiter: str = ""


@dataclass(frozen=True, slots=True)
class WithdrawOffer:
    offer_id: int


@dataclass(frozen=True, slots=True)
class AcceptOffer:
    """Accept an offer on the signer's request: the price goes into escrow, an agreement starts."""

    offer_id: int


@dataclass(frozen=True, slots=True)
class PublishStandingOffer:
    """Offer a service at a fixed price, delivered ``delivery_seconds`` after it is taken."""

    title: str
    description: str
    tags: tuple[str, ...]
    price: int
    delivery_seconds: int
    terms: bytes = b""
    arbiter: str = ""


@dataclass(frozen=True, slots=True)
class WithdrawStandingOffer:
    standing_offer_id: int


@dataclass(frozen=True, slots=True)
class TakeStandingOffer:
    """Take a standing offer directly; ``project_id`` 0: paid by the signer."""

    standing_offer_id: int
    project_id: int = 0
