"""Messages of the upgrades module: actions of the network organization's proposals (proto fields 112-113)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ScheduleUpgrade:
    """Plan the software upgrade ``name`` at block ``height`` (replaces a pending plan); network organization only."""

    name: str
    height: int
    info: str = ""    # free-form: release notes, where to get the software, checksums


@dataclass(frozen=True, slots=True)
class CancelUpgrade:
    """Drop the pending plan ``name`` before its height; network organization only."""

    name: str
