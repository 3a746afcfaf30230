"""The one encoding module: transaction bytes <-> typed messages, state values <-> bytes.

Transactions are canonical protobuf (``proto/samen/v1/tx.proto``); bytes that are
not exactly the canonical encoding are rejected, so a transaction has one byte
form and one hash.  State values are canonical JSON of frozen dataclasses: keys
sorted, no whitespace, integers only (no floats), ``bytes`` as lowercase hex.
Golden vectors in ``docs/test-vectors.json`` (``tests/unit/test_vectors.py``) and the
codec's own tests (``tests/unit/test_codec_*.py``) pin both.  Every JSON document the core
writes or reads (state values, query answers, genesis) goes through this module.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
import operator
import types
import typing
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, TypeVar

from google.protobuf.message import DecodeError

from abci_app.chain import nesting
from abci_app.chain.errors import EmptyAction, InvalidField, MalformedTx, NonCanonicalTx
from abci_app.chain.context import Action
from abci_app.chain.messages import KINDS
from abci_app.chain.txproto import samen_tx

SIGN_DOMAIN = b"samen/tx/v1\x00"
TX_VERSION = 1
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class SignedTx:
    """A decoded, canonical transaction; ``action`` is one message dataclass."""

    version: int
    chain_id: str
    public_key: bytes
    sequence: int
    fee: int
    fee_payer: str
    action: Any
    body: bytes
    signature: bytes
    hash: bytes
    size: int


def tx_hash(raw: bytes) -> bytes:
    """Return the transaction hash CometBFT uses: SHA-256 of the transaction bytes."""
    return hashlib.sha256(raw).digest()


def sign_bytes(body: bytes) -> bytes:
    return SIGN_DOMAIN + body


def _parse_canonical(message: Any, raw: bytes, what: str) -> None:
    try:
        message.ParseFromString(raw)
    except (DecodeError, ValueError) as exc:
        raise MalformedTx(f"cannot decode {what}: {exc}") from None
    message.DiscardUnknownFields()
    if message.SerializeToString(deterministic=True) != raw:
        raise NonCanonicalTx(f"{what} is not in canonical encoding (unknown fields, field order, defaults or trailing bytes)")


# Recently decoded transactions by their bytes: a transaction is decoded in CheckTx,
# again at every RECHECK and in FinalizeBlock; ``SignedTx`` is immutable, so the same
# bytes give the same value.  Bounded; the oldest entry goes first.
_DECODED: OrderedDict[bytes, "SignedTx"] = OrderedDict()
_DECODED_MAX = 1 << 15


def decode_tx(raw: bytes) -> SignedTx:
    """Decode transaction bytes; raise ``MalformedTx``/``NonCanonicalTx``/``EmptyAction``."""
    raw = bytes(raw)
    known = _DECODED.get(raw)
    if known is not None:
        return known
    tx = _decode_tx(raw)
    _DECODED[raw] = tx
    if len(_DECODED) > _DECODED_MAX:
        _DECODED.popitem(last=False)
    return tx


def signed_parts(raw: bytes) -> tuple[bytes, bytes, bytes] | None:
    """Return ``(body, signature, public_key)`` of transaction bytes, or None if they do not parse.

    No canonical check and no cache: a pure function, safe on any thread (the ABCI server's
    signature worker, ``abci_app.adapter.preverify``).  For bytes ``decode_tx`` accepts, the
    parts are exactly its ``body``, ``signature`` and ``public_key``.
    """
    try:
        envelope = samen_tx.Tx()
        envelope.ParseFromString(raw)
        body = samen_tx.TxBody()
        body.ParseFromString(envelope.body)
    except (DecodeError, ValueError, RecursionError):
        return None
    return envelope.body, envelope.signature, body.public_key


def decode_tx_uncached(raw: bytes) -> SignedTx:
    """Decode like ``decode_tx`` without remembering the answer: for a process that takes
    bytes from strangers and never sees them again (the GraphQL server's broadcast check),
    where the cache would only be theirs to fill."""
    return _decode_tx(bytes(raw))


def _decode_tx(raw: bytes) -> SignedTx:
    envelope = samen_tx.Tx()
    _parse_canonical(envelope, raw, "transaction")   # flat: two byte strings
    nesting.check(envelope.body)                     # before the body's (recursive) messages are parsed
    body = samen_tx.TxBody()
    _parse_canonical(body, envelope.body, "transaction body")
    if body.action.WhichOneof("kind") is None:
        raise EmptyAction("transaction carries no action")
    action = action_from_proto(body.action)
    _require_one_encoding(body.action, action)
    return SignedTx(body.version, body.chain_id, body.public_key, body.sequence, body.fee, body.fee_payer,
                    action, envelope.body, envelope.signature, tx_hash(raw), len(raw))


def _require_one_encoding(pb: Any, action: Any) -> None:
    """Raise ``NonCanonicalTx`` unless encoding the decoded ``action`` gives back exactly its bytes.

    Canonical protobuf alone leaves one choice open: a singular embedded message
    (``policy``) may be absent or present and empty, and both decode to the same
    value.  The canonical form is the one ``encode_body`` writes: every singular
    embedded message present, even when all its fields are defaults.  Actions with
    only int/str/bool fields have no such choice and are not re-encoded (hot path).
    """
    if _flat_fields(type(action)) is not None:
        return
    if action_to_proto(action).SerializeToString(deterministic=True) != pb.SerializeToString(deterministic=True):
        raise NonCanonicalTx("the action has another encoding: an embedded message (e.g. policy) must be "
                             "written even when empty, and nothing may be left that the action does not carry")


def encode_body(*, chain_id: str, public_key: bytes, sequence: int, action: Any, fee: int = 0,
                fee_payer: str = "", version: int = TX_VERSION) -> bytes:
    """Return the canonical ``TxBody`` bytes for a message dataclass."""
    body = samen_tx.TxBody(version=version, chain_id=chain_id, public_key=public_key,
                           sequence=sequence, fee=fee, fee_payer=fee_payer)
    body.action.CopyFrom(action_to_proto(action))
    return body.SerializeToString(deterministic=True)


def encode_tx(body: bytes, signature: bytes) -> bytes:
    return samen_tx.Tx(body=body, signature=signature).SerializeToString(deterministic=True)


@lru_cache(maxsize=None)
def action_field(cls: type) -> str:
    for name, known in KINDS.items():
        if known is cls:
            return name
    raise KeyError(f"{cls.__name__} is not a transaction action")


def action_from_proto(pb: Any) -> Any:
    """Return the message dataclass inside an ``Action`` (``None`` if empty)."""
    kind = pb.WhichOneof("kind")
    return None if kind is None else from_proto(KINDS[kind], getattr(pb, kind))


def action_to_proto(action: Any) -> Any:
    """Return the ``Action`` holding ``action``; ``None`` (a nested action left empty) gives an empty one."""
    pb = samen_tx.Action()
    if action is not None:
        getattr(pb, action_field(type(action))).CopyFrom(to_proto(action))
    return pb


# -- protobuf message <-> dataclass (field names match one to one) ---------------------
#
# A field hinted ``Action`` (or ``tuple[Action, ...]``) holds any action message;
# on the wire it is a ``samen.v1.Action``, in state JSON ``{"kind": <field>, "msg": {...}}``.


def from_proto(cls: type[T], pb: Any) -> T:
    names = _flat_fields(cls)
    if names is not None:  # fast path, same result: int/str/bool fields are taken as they are
        return cls(**{name: getattr(pb, name) for name in names})
    values = {}
    for name, hint in _hints(cls):
        values[name] = _from_proto_value(hint, getattr(pb, name))
    return cls(**values)


def _from_proto_value(hint: Any, value: Any) -> Any:
    if hint is Action:
        return action_from_proto(value)
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_from_proto_value(inner, v) for v in value)
    if dataclasses.is_dataclass(hint):
        return from_proto(hint, value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        try:
            return hint(value)
        except ValueError:
            raise InvalidField(f"{value!r} is not a valid {hint.__name__}") from None
    if hint is bytes:
        return bytes(value)
    return value


def to_proto(obj: Any) -> Any:
    pb_cls = getattr(samen_tx, type(obj).__name__)
    pb = pb_cls()
    for name, hint in _hints(type(obj)):
        value = getattr(obj, name)
        if typing.get_origin(hint) is tuple:
            inner = typing.get_args(hint)[0]
            field = getattr(pb, name)
            for item in value:
                if inner is Action:
                    field.add().CopyFrom(action_to_proto(item))
                elif dataclasses.is_dataclass(inner):
                    field.add().CopyFrom(to_proto(item))
                else:
                    field.append(item.value if isinstance(item, enum.Enum) else item)
        elif hint is Action:
            getattr(pb, name).CopyFrom(action_to_proto(value))
        elif dataclasses.is_dataclass(hint):
            getattr(pb, name).CopyFrom(to_proto(value))
        else:
            setattr(pb, name, value.value if isinstance(value, enum.Enum) else value)
    return pb


@lru_cache(maxsize=None)
def _hints(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, hints[f.name]) for f in dataclasses.fields(cls))


_FLAT_TYPES = (int, str, bool)
_PLAIN_LEAVES = frozenset({int, str, bool, type(None)})


@lru_cache(maxsize=None)
def _flat_fields(cls: type) -> tuple[str, ...] | None:
    """Return the field names of a dataclass whose fields are all hinted int, str or bool, else None.

    Such values (accounts, transfers, ...) sit on the transaction hot path; for them the
    generic converters reduce to copying the fields, which the fast paths do directly.
    """
    if not dataclasses.is_dataclass(cls):
        return None
    hints = _hints(cls)
    return tuple(name for name, _ in hints) if all(h in _FLAT_TYPES for _, h in hints) else None


# -- state values: canonical JSON -------------------------------------------------------


_JSON = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_JSON_DECODE = json.JSONDecoder().decode  # values are UTF-8 (``encode_value``), so no encoding sniffing


# Flat values (immutable: int/str/bool fields only) recently encoded or decoded, by
# (class, bytes): an account written by one step of a transaction is read back by
# the next, so most reads skip the JSON decode.  Bounded; the oldest entry goes first.
_RECENT: OrderedDict[tuple[type, bytes], Any] = OrderedDict()
_RECENT_MAX = 1 << 14


def _remember(cls: type, raw: bytes, value: Any) -> None:
    _RECENT[(cls, raw)] = value
    if len(_RECENT) > _RECENT_MAX:
        _RECENT.popitem(last=False)


@lru_cache(maxsize=None)
def _int_template(cls: type) -> tuple[bytes, Callable[[Any], tuple]] | None:
    """For a dataclass whose fields are all ``int``: a %-template of its canonical JSON (keys sorted)
    and a getter of the values in that order."""
    hints = _hints(cls)
    if not hints or any(h is not int for _, h in hints):
        return None
    names = tuple(sorted(name for name, _ in hints))
    getter = operator.attrgetter(*names) if len(names) > 1 else (lambda obj, n=names[0]: (getattr(obj, n),))
    return ("{" + ",".join(f'"{name}":%d' for name in names) + "}").encode(), getter


_INT_ONLY = {int}


def encode_value(obj: Any) -> bytes:
    """Return the canonical JSON bytes of a dataclass value."""
    template = _int_template(type(obj))
    if template is not None:  # fastest path, same bytes: e.g. an account (balance, sequence)
        values = template[1](obj)
        if set(map(type, values)) <= _INT_ONLY:   # not bool (a subclass of int that JSON writes as true)
            raw = template[0] % values
            _remember(type(obj), raw, obj)
            return raw
    names = _flat_fields(type(obj))
    if names is not None:  # fast path, same bytes: the values are plain int/str/bool
        plain = {name: getattr(obj, name) for name in names}
        if all(type(v) in _FLAT_TYPES for v in plain.values()):
            raw = _JSON.encode(plain).encode()
            _remember(type(obj), raw, obj)
            return raw
    return _JSON.encode(_encoder(type(obj))(obj)).encode()


def encode_plain(doc: Any) -> bytes:
    """Return the canonical JSON bytes of an already-plain document (dicts, lists, int/str/bool/None).

    For hot paths that build the plain form of a known dataclass directly; the result
    must equal ``encode_value`` of that dataclass (each such caller tests this).
    """
    return _JSON.encode(doc).encode()


def decode_value(cls: type[T], raw: bytes) -> T:
    """Decode canonical JSON bytes written by ``encode_value`` into ``cls``."""
    names = _flat_fields(cls)
    if names is not None:
        raw = bytes(raw)
        known = _RECENT.get((cls, raw))
        if known is not None:
            return known
    value = _JSON_DECODE(raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw)
    if names is not None and isinstance(value, dict):  # fast path, same result as ``_typed``
        decoded = cls(**{name: value.get(name) for name in names})
        _remember(cls, raw, decoded)
        return decoded
    return _decoder(cls)(value)


def read_plain(raw: bytes) -> Any:
    """Return the plain document (dicts, lists, int/str/bool/None) of JSON bytes (UTF-8).

    Raises ``ValueError`` on bytes that are not JSON.

    With ``from_plain`` it splits ``decode_value`` in two, for a reader that tests a
    few fields of many stored values and builds only the values it keeps.
    """
    return _JSON_DECODE(raw.decode("utf-8") if isinstance(raw, (bytes, bytearray)) else raw)


def from_plain(cls: type[T], value: Any) -> T:
    """Return ``cls`` built from a plain document: ``from_plain(cls, read_plain(raw)) == decode_value(cls, raw)``."""
    return _decoder(cls)(value)


def _plain(obj: Any, hint: Any = None) -> Any:
    if type(obj) in _PLAIN_LEAVES:  # the common case first; enums and floats are other types
        return obj
    if hint is Action:
        return {"kind": action_field(type(obj)), "msg": _plain(obj)}
    if dataclasses.is_dataclass(obj):
        return {name: _plain(getattr(obj, name), h) for name, h in _hints(type(obj))}
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


@lru_cache(maxsize=None)
def _encoder(hint: Any) -> Callable[[Any], Any]:
    """Return a function giving ``_plain(value, hint)``, with the type analysis done once per hint.

    ``_plain`` visits every element of every tuple (a friction aggregate holds four histograms
    of 17 counts; every settlement writes six of them); here a dataclass's fields get their own
    encoders and a tuple of int/str/bool whose elements are all plain leaves is copied as a
    list in one step.  Anything else goes through ``_plain`` itself, so the result is the same.
    """
    if typing.get_origin(hint) is tuple and typing.get_args(hint)[:1] and typing.get_args(hint)[0] in _FLAT_TYPES:
        def flat_tuple(value: Any) -> Any:
            if type(value) is tuple and set(map(type, value)) <= _PLAIN_LEAVES:
                return list(value)
            return _plain(value, hint)
        return flat_tuple
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        fields = tuple((name, _encoder(h)) for name, h in _hints(hint))

        def record(value: Any) -> Any:
            if type(value) is not hint:
                return _plain(value, hint)
            return {name: encode(getattr(value, name)) for name, encode in fields}
        return record

    def leaf(value: Any) -> Any:
        return value if type(value) in _PLAIN_LEAVES else _plain(value, hint)
    return leaf


def _identity(value: Any) -> Any:
    return value


@lru_cache(maxsize=None)
def _decoder(hint: Any):
    """Return a function giving ``_typed(hint, value)``, with the type analysis done once per hint.

    ``_typed`` inspects the hints of every nested value on every call (``get_origin``,
    ``is_dataclass``, ...), which dominated reading records with nested tuples (an
    agreement's milestones, a friction aggregate's histograms).  Plain leaves (int,
    str, bool, and values of unknown hints) are taken as they are.
    """
    origin = typing.get_origin(hint)
    if hint is Action:
        return lambda value: _typed(hint, value)
    if origin is tuple:
        inner = _decoder(typing.get_args(hint)[0])
        if inner is _identity:
            return lambda value: None if value is None else tuple(value)
        return lambda value: None if value is None else tuple(map(inner, value))
    if origin in (typing.Union, types.UnionType):
        return _decoder([a for a in typing.get_args(hint) if a is not type(None)][0])
    if dataclasses.is_dataclass(hint):
        return _dataclass_decoder(hint)
    if hint is bytes:
        return lambda value: None if value is None else bytes.fromhex(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return lambda value: None if value is None else hint(value)
    return _identity


def _dataclass_decoder(cls: type):
    plain = tuple(name for name, h in _hints(cls) if _decoder(h) is _identity)
    nested = tuple((name, _decoder(h)) for name, h in _hints(cls) if _decoder(h) is not _identity)

    def decode(value: Any) -> Any:
        if value is None:
            return None
        get = value.get
        fields = {name: get(name) for name in plain}
        for name, inner in nested:
            fields[name] = inner(get(name))
        return cls(**fields)

    return decode


def _typed(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    if hint is Action:
        return _typed(KINDS[value["kind"]], value["msg"])
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_typed(inner, v) for v in value)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(hint) if a is not type(None)][0]
        return _typed(inner, value)
    if dataclasses.is_dataclass(hint):
        return hint(**{name: _typed(h, value.get(name)) for name, h in _hints(hint)})
    if hint is bytes:
        return bytes.fromhex(value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    return value
