"""Type analysis of stored records, and the exact text encoder behind ``codec.encode_value``'s fast path.

``field_hints``/``flat_fields``: a dataclass's resolved field hints, once per class.
``text_encoder``: for a frozen dataclass of ints, strings, bools, bytes, enums, tuples of those
and such dataclasses, a function that writes the canonical JSON text directly, byte for byte
what the codec's generic encoder writes (``tests/unit/test_codec_exact_text.py``): the
histograms of a friction aggregate and a reputation record's counters no longer go through a
dict of plain values and the JSON encoder.  The string escaping is the JSON encoder's own.
"""

from __future__ import annotations

import dataclasses
import enum
import operator
import typing
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any, Callable

from abci_app.chain.context import Action

_STRING: Callable[[str], str] = encode_basestring   # the codec's JSON string escaping (not ASCII-only)


def _field_hints(cls: type) -> tuple[tuple[str, Any], ...]:
    """Return ``(name, resolved type hint)`` of a dataclass's fields, in field order (cached)."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


FLAT_TYPES = (int, str, bool)
PLAIN_LEAVES = frozenset({int, str, bool, type(None)})


def _flat_fields(cls: type) -> tuple[str, ...] | None:
    """Return the field names of a dataclass whose fields are all hinted int, str or bool, else None.

    Such values (accounts, transfers, ...) sit on the transaction hot path; for them the
    generic converters of both codecs reduce to copying the fields, which their fast
    paths do directly.
    """
    if not dataclasses.is_dataclass(cls):
        return None
    hints = field_hints(cls)
    return tuple(name for name, _ in hints) if all(h in FLAT_TYPES for _, h in hints) else None


# Cached per class (the analysis runs once); typed for the callers' checker.
field_hints: Callable[[type], tuple[tuple[str, Any], ...]] = lru_cache(maxsize=None)(_field_hints)
flat_fields: Callable[[type], tuple[str, ...] | None] = lru_cache(maxsize=None)(_flat_fields)


# -- the exact text encoder ---------------------------------------------------------------


INT_ONLY = {int}


class Inexact(Exception):
    """A value's runtime types differ from its hints: the exact text encoder leaves it to the generic one."""


def _int_text(value: Any) -> str:
    if type(value) is not int:   # not bool (a subclass of int that JSON writes as true)
        raise Inexact
    return int.__repr__(value)   # what the JSON encoder writes for an int


def _str_text(value: Any) -> str:
    if type(value) is not str:
        raise Inexact
    return _STRING(value)


def _bool_text(value: Any) -> str:
    if type(value) is not bool:
        raise Inexact
    return "true" if value else "false"


def _bytes_text(value: Any) -> str:
    if type(value) is not bytes:
        raise Inexact
    return '"' + value.hex() + '"'


def _ints_text(value: Any) -> str:
    if type(value) is not tuple or not set(map(type, value)) <= INT_ONLY:
        raise Inexact
    return "[" + ",".join(map(int.__repr__, value)) + "]"


def _enum_text(hint: type[enum.Enum]) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        if type(value) is not hint or type(value.value) not in (int, str):
            raise Inexact
        return _int_text(value.value) if type(value.value) is int else _STRING(value.value)
    return text


def _tuple_text(inner: Callable[[Any], str]) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        if type(value) is not tuple:
            raise Inexact
        return "[" + ",".join(map(inner, value)) + "]"
    return text


def _record_text(hint: type, encode: Callable[[Any], str]) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        if type(value) is not hint:
            raise Inexact
        return encode(value)
    return text


_CALL = typing.cast(Callable[[Callable[[Any], str], Any], str], operator.call)   # text(value), for map
_LEAF_TEXT: dict[Any, Callable[[Any], str]] = {int: _int_text, str: _str_text, bool: _bool_text, bytes: _bytes_text}


def _text_of(hint: Any) -> Callable[[Any], str] | None:
    """Return the exact JSON text function of a field hint, or None if the exact encoder does not cover it."""
    if hint is Action:   # written as {"kind", "msg"}: the generic encoder's
        return None
    if hint in _LEAF_TEXT:
        return _LEAF_TEXT[hint]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enum_text(hint)
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        if args[0] is int:
            return _ints_text
        inner = _text_of(args[0])
        return None if inner is None else _tuple_text(inner)
    encode = text_encoder(hint) if isinstance(hint, type) else None
    return None if encode is None else _record_text(hint, encode)


def _buildtext_encoder(cls: type) -> Callable[[Any], str] | None:
    """For a frozen dataclass whose fields are hinted int, str, bool, bytes, an enum of int or str values,
    ``tuple[X, ...]`` of those or such dataclasses: a function writing its canonical JSON text directly.

    It gives the generic encoder's bytes (``codec.encode_value``) exactly (keys sorted, the JSON encoder's own string
    escaping) or raises ``Inexact`` when a runtime type is not exactly its hint (say a bool in an
    int field, None, a list for a tuple), which ``codec.encode_value`` hands to the generic encoder.
    A value it writes is immutable and decodes equal to itself, so ``codec.encode_value`` remembers it.
    """
    if not dataclasses.is_dataclass(cls) or not cls.__dataclass_params__.frozen:  # type: ignore[attr-defined]
        return None
    hints = dict(field_hints(cls))
    names = sorted(hints)
    found = [_text_of(hints[name]) for name in names]
    texts = tuple(text for text in found if text is not None)
    if not names or len(texts) != len(names):
        return None
    template = "{" + ",".join(_STRING(name).replace("%", "%%") + ":%s" for name in names) + "}"
    getter = operator.attrgetter(*names) if len(names) > 1 else (lambda obj, n=names[0]: (getattr(obj, n),))
    ints = [name for name in names if hints[name] is int]
    if not ints:
        return lambda obj: template % tuple(map(_CALL, texts, getter(obj)))
    # int fields: their types checked at once, then written by int.__repr__ (no call of _int_text each)
    int_getter = operator.attrgetter(*ints, ints[0])   # at least two names: always a tuple
    texts = tuple(int.__repr__ if hints[name] is int else text for name, text in zip(names, texts))

    def encode(obj: Any) -> str:
        if not set(map(type, int_getter(obj))) <= INT_ONLY:
            raise Inexact
        return template % tuple(map(_CALL, texts, getter(obj)))
    return encode


text_encoder: Callable[[type], Callable[[Any], str] | None] = lru_cache(maxsize=None)(_buildtext_encoder)
