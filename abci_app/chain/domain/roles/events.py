"""Typed events of the roles module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class RoleGranted:
    TYPE: ClassVar[str] = "role_granted"
    org_id: int
    name: str
    holder: str
    kinds: str          # comma-separated
    limit: int
    period: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class RoleRevoked:
    TYPE: ClassVar[str] = "role_revoked"
    org_id: int
    name: str


@dataclass(frozen=True, slots=True)
class RoleUsed:
    """Every use of a role: members see who acted, how, and what it cost the organization."""

    TYPE: ClassVar[str] = "role_used"
    org_id: int
    name: str
    holder: str
    kind: str
    spent: int          # what this action cost the treasury and its project budgets
    remaining: int      # left in the current period


@dataclass(frozen=True, slots=True)
class RoleLapsed:
    """An expired role removed from state by the expiry queue (``roles.expiry``)."""

    TYPE: ClassVar[str] = "role_lapsed"
    org_id: int
    name: str
    holder: str
    expires_at: int
