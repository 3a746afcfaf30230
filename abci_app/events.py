"""Typed events: frozen dataclasses with a ``TYPE`` class variable.

Handlers return them; ``abci_app.server`` turns them into ABCI events whose
attributes are the dataclass fields as strings (integers in decimal, bytes in
hex, booleans as ``true``/``false``).
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any


def event_type(event: Any) -> str:
    return type(event).TYPE


@lru_cache(maxsize=None)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(cls))


def attributes(event: Any) -> list[tuple[str, str]]:
    """Return an event's attributes as ``(key, value)`` strings in field order."""
    return [(name, _text(getattr(event, name))) for name in _field_names(type(event))]


def _text(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return value
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
