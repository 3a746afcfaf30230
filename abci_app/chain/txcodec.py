"""The transaction codec: transaction bytes <-> typed messages, and nothing else.

Transactions are canonical protobuf (``proto/samen/v1/tx.proto``); bytes that are not
exactly the canonical encoding are rejected, so a transaction has one byte form and one
hash.  One decoder, ``from_proto`` (protobuf message -> dataclass, driven by the
dataclass's type hints), behind ``decode_tx``; one encoder, ``to_proto``, behind
``encode_body``.  The message kinds come from ``abci_app.chain.messages`` (derived from the
``Action`` oneof).  Stored values are the other codec's (``abci_app.chain.codec``).
Golden vectors for every kind: ``docs/test-vectors.json`` (``tests/unit/test_vectors.py``);
the fast paths: ``tests/unit/test_codec_fast_path.py``; one encoding per transaction:
``tests/property/test_one_encoding.py``.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import typing
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, TypeVar

from google.protobuf.message import DecodeError

from abci_app.chain import codec, nesting
from abci_app.chain.context import Action
from abci_app.chain.errors import EmptyAction, InvalidField, MalformedTx, NonCanonicalTx
from abci_app.chain.messages import KINDS, kind_of
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
# bytes give the same value.  Bounded in entries and in the transactions' bytes (decoding costs a
# sender nothing, so a count alone would let a peer pin 32,768 full-size transactions); the oldest
# entry goes first.
_DECODED: OrderedDict[bytes, "SignedTx"] = OrderedDict()
_DECODED_MAX = 1 << 15
_DECODED_BYTES_MAX = 32 << 20
_decoded_bytes = [0]   # the remembered transactions' bytes (``forget_decoded`` resets it with the memo)


def decode_tx(raw: bytes) -> SignedTx:
    """Decode transaction bytes; raise ``MalformedTx``/``NonCanonicalTx``/``EmptyAction``."""
    raw = bytes(raw)
    known = _DECODED.get(raw)
    if known is not None:
        return known
    tx = _decode_tx(raw)
    _DECODED[raw] = tx
    _decoded_bytes[0] += len(raw)
    while _DECODED and (len(_DECODED) > _DECODED_MAX or _decoded_bytes[0] > _DECODED_BYTES_MAX):
        _decoded_bytes[0] -= len(_DECODED.popitem(last=False)[0])
    return tx


def forget_decoded() -> None:
    """Empty the memo of decoded transactions (a benchmark measuring cold decodes)."""
    _DECODED.clear()
    _decoded_bytes[0] = 0


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
    if codec.flat_fields(type(action)) is not None:
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
    raw: bytes = body.SerializeToString(deterministic=True)
    return raw


def encode_tx(body: bytes, signature: bytes) -> bytes:
    raw: bytes = samen_tx.Tx(body=body, signature=signature).SerializeToString(deterministic=True)
    return raw


def action_from_proto(pb: Any) -> Any:
    """Return the message dataclass inside an ``Action`` (``None`` if empty)."""
    kind = pb.WhichOneof("kind")
    return None if kind is None else from_proto(KINDS[kind], getattr(pb, kind))


def action_to_proto(action: Any) -> Any:
    """Return the ``Action`` holding ``action``; ``None`` (a nested action left empty) gives an empty one."""
    pb = samen_tx.Action()
    if action is not None:
        getattr(pb, kind_of(type(action))).CopyFrom(to_proto(action))
    return pb


# -- protobuf message <-> dataclass (field names match one to one) ---------------------
#
# A field hinted ``Action`` (or ``tuple[Action, ...]``) holds any action message; on the
# wire it is a ``samen.v1.Action`` (its stored form is the stored-value codec's business).


def from_proto(cls: type[T], pb: Any) -> T:
    names = codec.flat_fields(cls)
    if names is not None:  # fast path, same result: int/str/bool fields are taken as they are
        return cls(**{name: getattr(pb, name) for name in names})
    values = {}
    for name, hint in codec.field_hints(cls):
        values[name] = _from_proto_value(hint, getattr(pb, name))
    return cls(**values)


def _from_proto_value(hint: Any, value: Any) -> Any:
    if hint is Action:
        return action_from_proto(value)
    origin = typing.get_origin(hint)
    if origin is tuple:
        inner = typing.get_args(hint)[0]
        return tuple(_from_proto_value(inner, v) for v in value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
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
    for name, hint in codec.field_hints(type(obj)):
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
