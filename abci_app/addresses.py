"""Account addresses: bech32 (prefix ``samen``) over 20 bytes.

* A key's address is the first 20 bytes of SHA-256 of its ed25519 public key.
* A module or object account (community pool, an organization's treasury, an
  escrow) has the address SHA-256("samen/module/" + name)[:20]; no key can sign
  for it, so only state-machine rules move its funds.

Encoding and validation are pure functions, memoised because they sit on the
transaction path.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import bech32

from abci_app.errors import InvalidAddress

PREFIX = "samen"
ADDRESS_BYTES = 20


def encode(raw: bytes) -> str:
    return bech32.bech32_encode(PREFIX, bech32.convertbits(raw, 8, 5))


@lru_cache(maxsize=1 << 16)
def from_public_key(public_key: bytes) -> str:
    """Return the address of an ed25519 public key."""
    return encode(hashlib.sha256(public_key).digest()[:ADDRESS_BYTES])


@lru_cache(maxsize=1 << 10)
def module(name: str) -> str:
    """Return the keyless address of a module account or object account."""
    return encode(hashlib.sha256(b"samen/module/" + name.encode()).digest()[:ADDRESS_BYTES])


@lru_cache(maxsize=1 << 16)
def _checked(text: str) -> str | None:
    hrp, data = bech32.bech32_decode(text)
    if hrp != PREFIX or data is None:
        return None
    raw = bech32.convertbits(data, 5, 8, False)
    if raw is None or len(raw) != ADDRESS_BYTES or encode(bytes(raw)) != text:
        return None
    return text


def validate(text: str, what: str = "address") -> str:
    """Return ``text`` if it is a canonical samen address, else raise ``InvalidAddress``."""
    if not isinstance(text, str) or _checked(text) is None:
        raise InvalidAddress(f"invalid {what}: {text!r} is not a samen1... bech32 address")
    return text


def is_valid(text: str) -> bool:
    return isinstance(text, str) and _checked(text) is not None


COMMUNITY_POOL = module("community_pool")
