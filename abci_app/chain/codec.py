"""The stored-value codec: state values <-> bytes, and every JSON document the core reads or writes.

State values are canonical JSON of frozen dataclasses: keys sorted, no whitespace, integers
only (no floats), ``bytes`` as lowercase hex, enums as their value, a field hinted
``Action`` as ``{"kind": <Action oneof field>, "msg": {...}}``.  One encoder (``_plain``,
behind ``encode_value``) and one decoder (``_decoder``, behind ``decode_value`` and
``from_plain``), each with fast paths that give the same result (the exact text encoder of
``codec_text`` for frozen records of ints, strings, tuples, enums and such records).  Query answers and genesis
documents go through ``encode_plain``/``read_plain`` here too.  Transactions are the other
codec's (``abci_app.chain.txcodec``).  Golden vectors for every stored record type:
``docs/stored-value-vectors.json`` (``tests/unit/test_codec.py``, both ways).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import operator
import types
import typing
from collections import OrderedDict
from functools import lru_cache
from typing import Any, Callable, TypeVar

from abci_app.chain.codec_text import FLAT_TYPES, PLAIN_LEAVES, Inexact, text_encoder
from abci_app.chain.codec_text import field_hints as field_hints, flat_fields as flat_fields   # re-exported
from abci_app.chain.context import Action
from abci_app.chain.messages import KINDS, kind_of

T = TypeVar("T")


# -- state values: canonical JSON -------------------------------------------------------


_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_JSON_DECODE = json.JSONDecoder().decode  # values are UTF-8 (``encode_value``), so no encoding sniffing


# Immutable values recently encoded (flat ones also decoded), by (class, bytes): flat values
# (int/str/bool fields only) and what the exact text encoder writes.  An account written by one
# step of a transaction, or a friction aggregate written by one settlement, is read back by the
# next, so most such reads skip the JSON decode.  Bounded in entries and in each entry's size (a
# record longer than ``_RECENT_VALUE_MAX`` bytes, say a delegation snapshot of a large organization,
# is not kept: hot records are far smaller); the oldest entry goes first.
_RECENT: OrderedDict[tuple[type, bytes], Any] = OrderedDict()
_RECENT_MAX = 1 << 14
_RECENT_VALUE_MAX = 2048


def _remember(cls: type, raw: bytes, value: Any) -> None:
    """Keep ``value`` as the decoding of ``raw`` unless ``raw`` is longer than ``_RECENT_VALUE_MAX`` bytes."""
    if len(raw) > _RECENT_VALUE_MAX:
        return
    _RECENT[(cls, raw)] = value
    if len(_RECENT) > _RECENT_MAX:
        _RECENT.popitem(last=False)


def _build_int_template(cls: type) -> tuple[bytes, Callable[[Any], tuple[Any, ...]]] | None:
    """For a dataclass whose fields are all ``int``: a %-template of its canonical JSON (keys sorted)
    and a getter of the values in that order."""
    hints = field_hints(cls)
    if not hints or any(h is not int for _, h in hints):
        return None
    names = tuple(sorted(name for name, _ in hints))
    getter = operator.attrgetter(*names) if len(names) > 1 else (lambda obj, n=names[0]: (getattr(obj, n),))
    return ("{" + ",".join(f'"{name}":%d' for name in names) + "}").encode(), getter


_int_template: Callable[[type], tuple[bytes, Callable[[Any], tuple[Any, ...]]] | None] = \
    lru_cache(maxsize=None)(_build_int_template)


# Per class: its int template (``_int_template``), or False when it has none; a plain dict read per
# encode, cheaper than the ``lru_cache`` call (an account is encoded several times per transfer).
_TEMPLATES: dict[type, tuple[bytes, Callable[[Any], tuple[Any, ...]]] | bool] = {}


def encode_value(obj: Any) -> bytes:
    """Return the canonical JSON bytes of a dataclass value."""
    cls = type(obj)
    template = _TEMPLATES.get(cls)
    if template is None:
        template = _TEMPLATES[cls] = _int_template(cls) or False
    if template:  # fastest path, same bytes: e.g. an account (balance, sequence)
        values = template[1](obj)   # type: ignore[index]
        for value in values:
            if type(value) is not int:   # e.g. a bool (a subclass of int that JSON writes as true)
                break
        else:
            raw: bytes = template[0] % values   # type: ignore[index]
            _RECENT[(cls, raw)] = obj   # ``_remember``, inlined
            if len(_RECENT) > _RECENT_MAX:
                _RECENT.popitem(last=False)
            return raw
    text = text_encoder(type(obj))
    if text is not None:  # fast path, same bytes: e.g. a friction aggregate, a reputation record
        try:
            raw = text(obj).encode()
        except Inexact:
            pass
        else:
            _remember(type(obj), raw, obj)
            return raw
    names = flat_fields(type(obj))
    if names is not None:  # fast path, same bytes: the values are plain int/str/bool
        plain = {name: getattr(obj, name) for name in names}
        if all(type(v) in FLAT_TYPES for v in plain.values()):
            raw = _JSON.encode(plain).encode()
            _remember(type(obj), raw, obj)
            return raw
    return _JSON.encode(_plain(obj)).encode()


# The JSON literal of a string exactly as ``encode_value``/``encode_plain`` write it (``ensure_ascii=False``:
# quotes, backslashes and control characters escaped, everything else as it is); for hot paths that
# lay out a known record's canonical JSON themselves (each such caller tests its bytes against ``encode_value``).
quote: Callable[[str], str] = json.encoder.encode_basestring


def encode_plain(doc: Any) -> bytes:
    """Return the canonical JSON bytes of an already-plain document (dicts, lists, int/str/bool/None).

    For hot paths that build the plain form of a known dataclass directly; the result
    must equal ``encode_value`` of that dataclass (each such caller tests this).
    """
    return _JSON.encode(doc).encode()


_UNKNOWN: Any = object()
_FLAT: dict[type, tuple[str, ...] | None] = {}   # ``flat_fields`` per class, read without the ``lru_cache`` call


def decode_value(cls: type[T], raw: bytes) -> T:
    """Decode canonical JSON bytes written by ``encode_value`` into ``cls``."""
    names = _FLAT.get(cls, _UNKNOWN)
    if names is _UNKNOWN:
        names = _FLAT[cls] = flat_fields(cls)
    if names is not None or text_encoder(cls) is not None:
        if type(raw) is not bytes:
            raw = bytes(raw)
        known: T | None = _RECENT.get((cls, raw))
        if known is not None:
            return known
    value = _JSON_DECODE(raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw)
    if names is not None and isinstance(value, dict):  # fast path, same result as ``_decoder``
        decoded = cls(**{name: value.get(name) for name in names})
        _remember(cls, raw, decoded)
        return decoded
    typed: T = _decoder(cls)(value)
    return typed


def read_plain(raw: bytes) -> Any:
    """Return the plain document (dicts, lists, int/str/bool/None) of JSON bytes (UTF-8).

    Raises ``ValueError`` on bytes that are not JSON.

    With ``from_plain`` it splits ``decode_value`` in two, for a reader that tests a
    few fields of many stored values and builds only the values it keeps.
    """
    return _JSON_DECODE(raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw)


def from_plain(cls: type[T], value: Any) -> T:
    """Return ``cls`` built from a plain document: ``from_plain(cls, read_plain(raw)) == decode_value(cls, raw)``."""
    typed: T = _decoder(cls)(value)
    return typed


def _plain(obj: Any, hint: Any = None) -> Any:
    if type(obj) in PLAIN_LEAVES:  # the common case first; enums and floats are other types
        return obj
    if hint is Action:
        return {"kind": kind_of(type(obj)), "msg": _plain(obj)}
    if dataclasses.is_dataclass(obj):
        return {name: _plain(getattr(obj, name), h) for name, h in field_hints(type(obj))}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (tuple, list)):
        args = typing.get_args(hint) if typing.get_origin(hint) is tuple else ()
        return [_plain(v, args[0] if args else None) for v in obj]
    if isinstance(obj, bytes):
        return obj.hex()
    if isinstance(obj, float):
        raise TypeError("floats are not allowed in state")
    return obj


def _identity(value: Any) -> Any:
    return value


Decoder = Callable[[Any], Any]


def _build_decoder(hint: Any) -> Decoder:
    """Return the function that turns a plain document into a value of ``hint`` (the one decoder).

    The type analysis (``get_origin``, ``is_dataclass``, ...) is done once per hint, not per
    value, which matters for records with nested tuples (an agreement's milestones, a
    friction aggregate's histograms).  Plain leaves (int, str, bool, and values of unknown
    hints) are taken as they are; an absent field or ``null`` decodes as ``None``.
    """
    origin = typing.get_origin(hint)
    if hint is Action:   # any message kind: ``{"kind": <oneof field>, "msg": {...}}``
        return lambda value: None if value is None else _decoder(KINDS[value["kind"]])(value["msg"])
    if origin is tuple:
        inner = _decoder(typing.get_args(hint)[0])
        if inner is _identity:
            return lambda value: None if value is None else tuple(value)
        return lambda value: None if value is None else tuple(map(inner, value))
    if origin in (typing.Union, types.UnionType):
        return _decoder([a for a in typing.get_args(hint) if a is not type(None)][0])
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    if hint is bytes:
        return lambda value: None if value is None else bytes.fromhex(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return lambda value: None if value is None else hint(value)
    return _identity


# One decoder per hint, built on first use (``_decoder(hint) is _decoder(hint)``).
_decoder: Callable[[Any], Decoder] = lru_cache(maxsize=None)(_build_decoder)


def _dataclass_decoder(cls: type) -> Decoder:
    plain = tuple(name for name, h in field_hints(cls) if _decoder(h) is _identity)
    nested = tuple((name, _decoder(h)) for name, h in field_hints(cls) if _decoder(h) is not _identity)

    def decode(value: Any) -> Any:
        if value is None:
            return None
        get = value.get
        fields = {name: get(name) for name in plain}
        for name, inner in nested:
            fields[name] = inner(get(name))
        return cls(**fields)

    return decode
