"""Strict parsing of what a client names in a query: paths, decimal ids, raw state keys.

Anyone who can reach CometBFT's RPC can send ``abci_query`` with any path and data,
so nothing here trusts its input:

* a number is ASCII digits only (``str.isdigit`` also accepts "²" and "٣", which
  ``int`` then rejects or reads differently), at most 19 of them and at most
  ``MAX_ID`` (ids are unsigned 64-bit on the wire, but no id reaches 2^63);
* a path is at most ``MAX_PATH_BYTES`` bytes of UTF-8 without control characters,
  split on ``/`` (leading and trailing slashes ignored);
* a raw state key (``/store``) is not empty and its versioned form
  (``abci_app.chain.state.versions.key_fits``) fits LMDB's 511-byte key limit: at most
  501 bytes, less one per 0x00 byte.

A violation raises ``UnknownQuery`` (``query/2``): the path or its arguments are not
a query this node answers.  Pure functions, used by the ABCI query router, the
domain query modules and the CLI (``parse_uint`` returns ``None`` instead).
"""

from __future__ import annotations

import re

from abci_app.chain.errors import UnknownQuery
from abci_app.chain.state.versions import key_fits

MAX_ID = (1 << 63) - 1
MAX_U64 = (1 << 64) - 1
MAX_PATH_BYTES = 256
_DIGITS = re.compile(r"[0-9]{1,20}")


def parse_uint(text: str, max_value: int) -> int | None:
    """Return ``text`` as an integer if it is 1..20 ASCII digits and at most ``max_value``, else ``None``."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= max_value else None


def parse_id(text: str, usage: str) -> int:
    """Return an object id written as a decimal number; raise ``UnknownQuery`` with ``usage`` otherwise."""
    value = parse_uint(text, MAX_ID)
    if value is None:
        raise UnknownQuery(f"{usage} (the id must be a decimal number up to {MAX_ID}, got {text[:40]!r})")
    return value


def split_path(path: str) -> list[str]:
    """Return the segments of a query path; raise ``UnknownQuery`` if it is too long or has control characters."""
    if len(path.encode("utf-8", "surrogatepass")) > MAX_PATH_BYTES:
        raise UnknownQuery(f"query path is longer than {MAX_PATH_BYTES} bytes")
    if any(ord(c) < 0x20 or 0x7F <= ord(c) < 0xA0 for c in path):
        raise UnknownQuery("query path contains control characters")
    return path.strip("/").split("/")


def state_key(data: bytes) -> bytes:
    """Return ``data`` as a raw state key; raise ``UnknownQuery`` unless LMDB can hold it (see the module doc)."""
    if not key_fits(data):
        raise UnknownQuery(f"/store needs a state key in data: 1 to 501 bytes (less one per 0x00 byte), "
                           f"got {len(data)} bytes")
    return bytes(data)
