"""Parsers of flag values (hashes, times, milestones, addresses): each failure is a ``BadValue`` naming the flag.

Light on purpose (no codec, no network): the query commands use them too.
"""

from __future__ import annotations

import re
import time as wallclock

from abci_app.tools.cli.common import BadValue
from abci_app.chain.query_args import MAX_ID, MAX_U64, parse_uint

_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_RELATIVE = re.compile(r"\+(\d+)([smhdw])")


def sha256_hex(text: str, what: str = "hash") -> bytes:
    """Parse an optional 64-hex-character SHA-256 hash (empty: absent)."""
    if not text:
        return b""
    try:
        raw = bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise BadValue(what, f"must be 64 hex characters (a SHA-256 hash, e.g. from sha256sum), got {text!r}")
    return raw


def block_time(text: str, what: str = "time") -> int:
    """Parse a time: ``+N[s|m|h|d|w]`` from now (the client's clock), an ISO date, or Unix seconds."""
    match = _RELATIVE.fullmatch(text.strip())
    if match and len(match.group(1)) <= 12:
        return int(wallclock.time()) + int(match.group(1)) * _UNITS[match.group(2)]
    seconds = parse_uint(text.strip(), MAX_ID)
    if seconds is not None:
        return seconds
    iso = _iso_seconds(text.strip())
    if iso is not None:
        return iso
    raise BadValue(what, f"must be an ISO date (2026-12-31 or 2026-12-31T18:00Z), Unix seconds, or +N followed by "
                   f"s, m, h, d or w; got {text!r}")


def _iso_seconds(text: str) -> int | None:
    """Parse an ISO-8601 date or date-time (UTC unless it names an offset) into Unix seconds."""
    from datetime import datetime, timezone
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00")) if text[:1].isdigit() else None
    except ValueError:
        return None
    if when is None:
        return None
    when = when if when.tzinfo else when.replace(tzinfo=timezone.utc)
    seconds = int(when.timestamp())
    return seconds if 0 <= seconds <= MAX_ID else None


def milestone(text: str):
    """Parse ``TITLE:AMOUNT:DEADLINE`` (deadline as in ``block_time``) into a ``MilestoneSpec``."""
    from abci_app.chain.domain.market.messages import MilestoneSpec
    parts = text.rsplit(":", 2)
    amount = parse_uint(parts[1], MAX_U64) if len(parts) == 3 else None
    if amount is None:
        raise BadValue("--milestone", f"must be TITLE:AMOUNT:DEADLINE with a non-negative amount, got {text!r}")
    return MilestoneSpec(parts[0], amount, block_time(parts[2], "--milestone"))


def address_arg(text: str, flag: str) -> str:
    """Check a ``samen1...`` address."""
    from abci_app.chain import addresses
    if not addresses.is_valid(text):
        raise BadValue(flag, f"{text!r} is not a samen1... address")
    return text


def resolve_address(who: str, home, keyring_dir) -> str:
    """Accept an address, or the name of a key in the keyring (``WHO``)."""
    from abci_app.chain import addresses
    if addresses.is_valid(who):
        return who
    from abci_app.tools.cli.keys import open_keyring
    from abci_app.tools.client.keyring import KeyringError
    try:
        return open_keyring(home, keyring_dir).info(who).address
    except KeyringError:
        raise BadValue("WHO", f"{who!r} is neither a samen1... address nor a key name in the keyring") from None
