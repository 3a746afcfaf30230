"""List arguments in The Graph's dialect, with keyset cursors.

* ``first``: default ``DEFAULT_FIRST``, at most the configured cap (1000).
* ``after``: an opaque cursor (each listed object has a ``cursor`` field); it is the
  object's sort key, so a page boundary stays put while new blocks arrive.
* ``orderDirection``: ``asc`` | ``desc``.
* Range filters (``_gt/_gte/_lt/_lte``) on an ordered key become one inclusive
  ``Span``, so an indexed read seeks straight to the first entry: O(log n + page).
"""

from __future__ import annotations

import base64
import binascii
import enum
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, TypeVar

import strawberry

from abci_app.adapter.storage.store import iter_prefix
from graphql_api.config import DEFAULT_FIRST
from graphql_api.errors import ApiError

T = TypeVar("T")
U64_MAX = (1 << 64) - 1


@strawberry.enum
class OrderDirection(enum.Enum):
    asc = "asc"
    desc = "desc"


def check_first(first: int | None, cap: int) -> int:
    """Return the page size; reject a negative one or one above ``cap``."""
    first = DEFAULT_FIRST if first is None else first
    if first < 0 or first > cap:
        raise ApiError(f"first must be between 0 and {cap}, got {first}")
    return first


def encode_cursor(kind: str, key: bytes) -> str:
    return base64.urlsafe_b64encode(kind.encode() + b":" + key).decode()


def decode_cursor(kind: str, cursor: str | None) -> bytes | None:
    """Return the key inside a cursor of ``kind``; reject cursors of other lists."""
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor.encode())
    except (binascii.Error, ValueError):
        raise ApiError("after: not a cursor of this API") from None
    head, sep, key = raw.partition(b":")
    if not sep or head != kind.encode():
        raise ApiError(f"after: not a cursor of the {kind} list")
    return key


@dataclass(frozen=True, slots=True)
class Span:
    """An inclusive range of unsigned integers (heights)."""

    lo: int = 0
    hi: int = U64_MAX

    @property
    def empty(self) -> bool:
        return self.lo > self.hi

    def clip(self, lo: int = 0, hi: int = U64_MAX) -> "Span":
        return Span(max(self.lo, lo), min(self.hi, hi))


def span(gt=None, gte=None, lt=None, lte=None) -> Span:
    """Combine range-filter suffixes into one inclusive ``Span``."""
    lo, hi = 0, U64_MAX
    if gt is not None:
        lo = max(lo, gt + 1)
    if gte is not None:
        lo = max(lo, gte)
    if lt is not None:
        hi = min(hi, lt - 1)
    if lte is not None:
        hi = min(hi, lte)
    return Span(max(lo, 0), hi)


def scan(txn, db, prefix: bytes, lo: bytes, hi: bytes, after: bytes | None, reverse: bool) -> Iterator[tuple[bytes, bytes]]:
    """Yield ``(suffix, value)`` of keys ``prefix + s`` with ``lo <= s <= hi``, after ``after``.

    ``lo``/``hi`` are fixed-width key suffixes; ``hi`` is inclusive as a prefix (every
    key that starts with ``hi`` is in range).
    """
    if not reverse:
        start = prefix + lo
        if after is not None:
            start = max(start, prefix + after + b"\x00")
        for key, value in iter_prefix(txn, db, prefix, start, False):
            suffix = key[len(prefix):]
            if suffix[:len(hi)] > hi:
                return
            yield suffix, value
        return
    upper = prefix + hi + b"\xff" * 9
    if after is not None:
        upper = min(upper, prefix + after)
    for key, value in iter_prefix(txn, db, prefix, upper, True):
        suffix = key[len(prefix):]
        if suffix < lo:
            return
        yield suffix, value


def take(items: Iterable[T], first: int, keep: Callable[[T], bool] = lambda _: True,
         charge: Callable[[], None] = lambda: None) -> list[T]:
    """Return up to ``first`` items that pass ``keep``, charging each item examined."""
    out: list[T] = []
    if first == 0:
        return out
    for item in items:
        charge()
        if keep(item):
            out.append(item)
            if len(out) >= first:
                break
    return out
