"""Account addresses: bech32 (prefix ``samen``) over 20 bytes.

* A key's address is the first 20 bytes of SHA-256 of its ed25519 public key.
* A module or object account (community pool, an organization's treasury, an
  escrow) has the address SHA-256("samen/module/" + name)[:20]; no key can sign
  for it, so only state-machine rules move its funds.

Encoding and validation are pure functions on the transaction path: the bech32
checksum (BIP-173) is computed here with a 32-entry table (one step per 5-bit
symbol, the prefix's part precomputed) and the results are memoised.  The
``bech32`` package stays a test-only oracle (``tests/unit/test_addresses.py``).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Iterable

from abci_app.chain.errors import InvalidAddress

PREFIX = "samen"
ADDRESS_BYTES = 20
CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_SYMBOL = {c: i for i, c in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


def _step_term(top: int) -> int:
    """XOR of the generator terms selected by the 5 bits ``top`` shifted out of the checksum."""
    term = 0
    for i, g in enumerate(_GENERATOR):
        if (top >> i) & 1:
            term ^= g
    return term


_STEP = tuple(_step_term(top) for top in range(32))


def _polymod(symbols: Iterable[int], chk: int = 1) -> int:
    """Continue the BIP-173 checksum ``chk`` over 5-bit ``symbols``."""
    step = _STEP
    for v in symbols:
        chk = ((chk & 0x1FFFFFF) << 5) ^ v ^ step[chk >> 25]
    return chk


def _prefix_state(hrp: str) -> int:
    return _polymod([ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp])


_PREFIX_STATE = _prefix_state(PREFIX)


def _two_steps(chk: int) -> int:
    return _polymod([0, 0], chk)


# Two symbols at a time for 20-byte addresses (160 bits = 16 ten-bit chunks): the checksum
# step is linear over GF(2), so the 10 bits shifted out select one precomputed term.
_STEP2 = tuple(_two_steps(top << 20) for top in range(1024))
_PAIR = tuple(CHARSET[i >> 5] + CHARSET[i & 31] for i in range(1024))


def encode(raw: bytes) -> str:
    """Return the bech32 string (prefix ``samen``) of a 20-byte address (every address is 20 bytes)."""
    if len(raw) != ADDRESS_BYTES:
        raise ValueError(f"an address is {ADDRESS_BYTES} bytes, got {len(raw)}")
    n = int.from_bytes(raw, "big")
    chunks = [(n >> shift) & 1023 for shift in range(150, -10, -10)] + [0, 0, 0]
    chk, step2 = _PREFIX_STATE, _STEP2
    for c in chunks:
        chk = ((chk & 0xFFFFF) << 10) ^ c ^ step2[chk >> 20]
    chk ^= 1
    chunks[16:] = (chk >> 20, (chk >> 10) & 1023, chk & 1023)
    return PREFIX + "1" + "".join([_PAIR[c] for c in chunks])


@lru_cache(maxsize=1 << 16)
def from_public_key(public_key: bytes) -> str:
    """Return the address of an ed25519 public key."""
    return encode(hashlib.sha256(public_key).digest()[:ADDRESS_BYTES])


@lru_cache(maxsize=1 << 10)
def module(name: str) -> str:
    """Return the keyless address of a module account or object account."""
    return encode(hashlib.sha256(b"samen/module/" + name.encode()).digest()[:ADDRESS_BYTES])


_ADDRESS_SYMBOLS = (8 * ADDRESS_BYTES + 4) // 5   # 32 data symbols for 20 bytes


@lru_cache(maxsize=1 << 16)
def _checked(text: str) -> str | None:
    """Return ``text`` if it is the canonical (lower-case) encoding of a 20-byte address, else ``None``."""
    head = PREFIX + "1"
    if len(text) != len(head) + _ADDRESS_SYMBOLS + 6 or not text.startswith(head):
        return None
    try:
        data = [_SYMBOL[c] for c in text[len(head):len(head) + _ADDRESS_SYMBOLS]]
    except KeyError:
        return None
    n = 0
    for v in data:
        n = (n << 5) | v
    raw = (n >> (5 * _ADDRESS_SYMBOLS - 8 * ADDRESS_BYTES)).to_bytes(ADDRESS_BYTES, "big")
    return text if encode(raw) == text else None


def validate(text: str, what: str = "address") -> str:
    """Return ``text`` if it is a canonical samen address, else raise ``InvalidAddress``."""
    if not isinstance(text, str) or _checked(text) is None:
        raise InvalidAddress(f"invalid {what}: {text!r} is not a samen1... bech32 address")
    return text


def is_valid(text: str) -> bool:
    return isinstance(text, str) and _checked(text) is not None


COMMUNITY_POOL = module("community_pool")
