"""Messages of the streams module (proto fields 120-122 of ``Action``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CreateStream:
    """Reserve a total from the signer that accrues to ``recipient``, ``amount_per_period`` per whole period.

    ``start`` 0 means the block time; ``end`` 0 means no end; ``total`` 0 means no cap
    other than the end.  At least one of ``end`` and ``total`` must be given: the
    reserve is ``total`` or ``amount_per_period`` times the whole periods before
    ``end``, whichever is smaller.  An organization creates one by proposal.
    """

    recipient: str
    amount_per_period: int
    period: int            # seconds
    start: int = 0
    end: int = 0
    total: int = 0


@dataclass(frozen=True, slots=True)
class ClaimStream:
    """Pay the recipient what has accrued and is unclaimed (anyone may send it; the money goes to the recipient)."""

    stream_id: int


@dataclass(frozen=True, slots=True)
class StopStream:
    """The payer stops a stream: the accrued part stays claimable, the unaccrued reserve returns to the payer."""

    stream_id: int
