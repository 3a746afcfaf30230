"""Typed events: frozen dataclasses with a ``TYPE`` class variable.

Handlers return them; ``abci_app.adapter.server`` turns them into ABCI events whose
attributes are the dataclass fields as strings (integers in decimal, bytes in
hex, booleans as ``true``/``false``).

CometBFT's transaction index (``tx_search``) gets the attributes that identify
something: ids, addresses, hashes, tags, kinds and statuses.  Amounts, counts,
weights, times, flags and free text (``UNINDEXED``) travel in the event with
``index: false``: nobody searches transactions by them, and each indexed attribute
costs CometBFT a write per transaction.  They are all in the app's own records
and queryable through GraphQL.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any, Callable


UNINDEXED = frozenset({
    "amount", "budget", "price", "delta", "limit", "exit_share", "to_community_pool", "to_provider", "to_requester",
    "bond", "to_payer", "revision",
    "power", "old_power", "weight", "total_weight", "threshold", "score", "yes", "no", "abstain",
    "deadline", "expires_at", "offers_until", "execute_after", "voting_end", "time", "height",
    "on_time", "broken", "disputed", "rated", "memo", "reason", "name", "log", "code", "codespace", "milestone",
    "processed", "more", "fee", "sequence",
})


def indexed(key: str) -> bool:
    """Whether CometBFT's transaction index gets this attribute (see the module docstring)."""
    return key not in UNINDEXED


def event_type(event: Any) -> str:
    kind: str = type(event).TYPE
    return kind


def _names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


_field_names: Callable[[type], tuple[str, ...]] = lru_cache(maxsize=None)(_names)


def attributes(event: Any) -> list[tuple[str, str]]:
    """Return an event's attributes as ``(key, value)`` strings in field order."""
    return [(name, _text(getattr(event, name))) for name in _field_names(type(event))]


def _text(value: Any) -> str:
    kind = type(value)
    if kind is str:
        text: str = value
        return text
    if kind is int:
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, (tuple, list)):
        return ",".join(_text(v) for v in value)
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)
