"""Messages of the delegation module (proto fields 123-124 of ``Action``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DelegateVote:
    """Lend the signer's weight in ``org_id`` to member ``delegate``; for proposals tagged ``tag`` only, or all ("")."""

    org_id: int
    delegate: str
    tag: str = ""


@dataclass(frozen=True, slots=True)
class RevokeDelegation:
    """Take back the signer's delegation in ``org_id`` for ``tag`` ("" = the general one)."""

    org_id: int
    tag: str = ""
