"""Messages of the accounts module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Transfer:
    """Move ``amount`` from the signer to ``to``, with an optional memo."""

    to: str
    amount: int
    memo: str = ""
