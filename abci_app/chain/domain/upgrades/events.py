"""Typed events of the upgrades module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class UpgradeScheduled:
    TYPE: ClassVar[str] = "upgrade_scheduled"
    name: str
    height: int
    replaced: str      # the name of the plan this one replaced ("" if none was pending)


@dataclass(frozen=True, slots=True)
class UpgradeCancelled:
    TYPE: ClassVar[str] = "upgrade_cancelled"
    name: str
    height: int


@dataclass(frozen=True, slots=True)
class UpgradeApplied:
    """The block's first event when its height is an upgrade height: the migration ran, the app version rose."""

    TYPE: ClassVar[str] = "upgrade_applied"
    name: str
    height: int
    app_version: int
