"""Typed events: frozen dataclasses with a ``TYPE`` class variable.

Handlers return them; ``abci_app.server`` turns them into ABCI events whose
attributes are the dataclass fields as strings (integers in decimal, bytes in
hex, booleans as ``true``/``false``).
"""

from __future__ import annotations

import dataclasses
from typing import Any


def event_type(event: Any) -> str:
    return type(event).TYPE


def attributes(event: Any) -> list[tuple[str, str]]:
    """Return an event's attributes as ``(key, value)`` strings in field order."""
    out = []
    for field in dataclasses.fields(event):
        out.append((field.name, _text(getattr(event, field.name))))
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, (tuple, list)):
        return ",".join(_text(v) for v in value)
    if hasattr(value, "value"):
        return str(value.value)
    return str(value)
