"""Typed events of the streams module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class StreamCreated:
    TYPE: ClassVar[str] = "stream_created"
    stream_id: int
    payer: str
    recipient: str
    amount_per_period: int
    period: int
    start: int
    total: int


@dataclass(frozen=True, slots=True)
class StreamClaimed:
    TYPE: ClassVar[str] = "stream_claimed"
    stream_id: int
    recipient: str
    amount: int
    claimed: int       # everything claimed so far
    finished: bool     # the whole reserve is paid


@dataclass(frozen=True, slots=True)
class StreamStopped:
    TYPE: ClassVar[str] = "stream_stopped"
    stream_id: int
    payer: str
    accrued: int       # what the recipient may still claim, in total
    returned: int      # the unaccrued reserve, back to the payer
