"""Messages of the validators module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class UpdateValidator:
    """Set the voting power of the ed25519 consensus key ``pub_key`` (0 removes it); network organization only."""

    pub_key: bytes
    power: int
