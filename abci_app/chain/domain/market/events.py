"""Typed events of the market module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class RequestPosted:
    TYPE: ClassVar[str] = "request_posted"
    request_id: int
    requester: str
    budget: int
    offers_until: int
    project_id: int
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RequestClosed:
    TYPE: ClassVar[str] = "request_closed"
    request_id: int
    status: str


@dataclass(frozen=True, slots=True)
class OfferMade:
    TYPE: ClassVar[str] = "offer_made"
    offer_id: int
    request_id: int
    provider: str
    price: int
    deadline: int


@dataclass(frozen=True, slots=True)
class OfferClosed:
    TYPE: ClassVar[str] = "offer_closed"
    offer_id: int
    request_id: int
    status: str


@dataclass(frozen=True, slots=True)
class StandingOfferPublished:
    TYPE: ClassVar[str] = "standing_offer_published"
    standing_offer_id: int
    provider: str
    price: int
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StandingOfferWithdrawn:
    TYPE: ClassVar[str] = "standing_offer_withdrawn"
    standing_offer_id: int
