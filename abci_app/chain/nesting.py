"""The nesting cap: embedded messages at most ``MAX_DEPTH`` deep, checked on the wire bytes before parsing.

``Action`` is recursive (a ``SubmitProposal`` carries actions), so a body can nest
messages as deep as its size allows.  The protobuf runtime parses up to 100 levels,
but ``DiscardUnknownFields`` stops at 64: unknown fields nested deeper survived it,
and so the canonical-form check (issue #12, finding 8).  ``check`` walks the body's
bytes with the schema and raises ``NestingTooDeep`` (``tx/30``) once a path of
embedded messages goes deeper than ``MAX_DEPTH``; ``TxBody`` is depth 1.

Only the fields that can lead into the recursion are walked (``TxBody.action``,
``Action.submit_proposal``, ``SubmitProposal.actions``); every other embedded
message has a fixed schema depth (``static_depth``, at most a few levels), so the
deepest possible message stays far below both runtime limits.  Each byte is read
at most once (a level skips over its children's bytes), so the cost is linear in
the body's size.  Every cycle of the schema passes through one of ``Action``'s
recursive members (``tests/unit/test_nesting.py`` checks it), so a body whose bytes
hold none of their tags cannot nest deeply and is not walked at all (one substring
search: a transfer costs well under a microsecond).

The walk judges nothing else: on anything it cannot read (a truncated varint, a
length past the end, a group or an invalid wire type) or that is never canonical
(an unknown field, fields out of order, a singular field twice) it stops and leaves
the verdict to the parser, which rejects such bytes with its own code.  Stopping
there is sound: it happens at most ``MAX_DEPTH`` levels deep, where
``DiscardUnknownFields`` still works, so the canonical-form check refuses the bytes.
It also keeps junk cheap: a level is walked only as far as its fields are in order.
"""

from __future__ import annotations

from functools import lru_cache

from google.protobuf.descriptor import Descriptor

from abci_app.chain.errors import NestingTooDeep
from abci_app.chain.txproto import samen_tx
from abci_app.chain.wire import encode_varint

MAX_DEPTH = 32
_SKIP_FIXED = {1: 8, 5: 4}   # wire type -> fixed width (I64, I32)


def check(body: bytes) -> None:
    """Raise ``NestingTooDeep`` if ``body`` (``TxBody`` bytes) nests embedded messages deeper than ``MAX_DEPTH``."""
    for tag in _ENTRY_TAGS:
        if tag in body:
            _walk(body, 0, len(body), samen_tx.TxBody.DESCRIPTOR, 1)
            return


def _entry_tags() -> tuple[bytes, ...]:
    """The key bytes of ``Action``'s members that lead back into the recursion (``submit_proposal``)."""
    return tuple(encode_varint(number << 3 | 2) for number in sorted(_recursive_fields(samen_tx.Action.DESCRIPTOR)))


def _walk(buf: bytes, pos: int, end: int, descriptor: Descriptor, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise NestingTooDeep(f"embedded messages are nested deeper than {MAX_DEPTH} levels")
    follow, repeated, last = _recursive_fields(descriptor), _repeated_by_number(descriptor), 0
    while pos < end:
        read = _varint(buf, pos, end)
        if read is None:
            return
        key, pos = read
        number, wire_type = key >> 3, key & 7
        if number not in repeated or number < last or (number == last and not repeated[number]):
            return   # an unknown, out-of-order or repeated singular field: never canonical, the parser refuses it
        last = number
        if wire_type == 0:
            read = _varint(buf, pos, end)
            if read is None:
                return
            pos = read[1]
        elif wire_type == 2:
            read = _varint(buf, pos, end)
            if read is None or read[1] + read[0] > end:
                return
            length, pos = read
            child = follow.get(key >> 3)
            if child is not None:
                _walk(buf, pos, pos + length, child, depth + 1)
            pos += length
        elif wire_type in _SKIP_FIXED:
            pos += _SKIP_FIXED[wire_type]
        else:
            return


def _varint(buf: bytes, pos: int, end: int) -> tuple[int, int] | None:
    """Read a varint at ``pos``: ``(value, position after it)``; ``None`` if it runs past ``end`` or over 10 bytes."""
    if pos < end and buf[pos] < 0x80:
        return buf[pos], pos + 1
    value, shift = 0, 0
    while pos < end and shift < 70:
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7
    return None


@lru_cache(maxsize=None)
def _repeated_by_number(descriptor: Descriptor) -> dict[int, bool]:
    """Field number -> whether the field is repeated, for every field of ``descriptor``."""
    return {f.number: f.is_repeated for f in descriptor.fields}


@lru_cache(maxsize=None)
def _recursive_fields(descriptor: Descriptor) -> dict[int, Descriptor]:
    """Field number -> message descriptor, for the embedded-message fields of ``descriptor`` that reach a cycle."""
    return {f.number: f.message_type for f in descriptor.fields
            if f.message_type is not None and _reaches_cycle(f.message_type)}


@lru_cache(maxsize=None)
def _reaches_cycle(descriptor: Descriptor) -> bool:
    return _reaches(descriptor, descriptor, frozenset()) or any(
        _reaches_cycle(f.message_type) for f in descriptor.fields if f.message_type is not None)


def _reaches(start: Descriptor, target: Descriptor, seen: frozenset[Descriptor]) -> bool:
    """True if a path of embedded messages leads from ``start`` back to ``target``."""
    for f in start.fields:
        child = f.message_type
        if child is None or child in seen:
            continue
        if child is target or _reaches(child, target, seen | {child}):
            return True
    return False


_ENTRY_TAGS = _entry_tags()


@lru_cache(maxsize=None)
def static_depth(descriptor: Descriptor) -> int:
    """The deepest nesting of a message type that reaches no cycle (1: no embedded messages)."""
    assert not _reaches_cycle(descriptor), f"{descriptor.name} is recursive"
    children = [f.message_type for f in descriptor.fields if f.message_type is not None]
    return 1 + max((static_depth(c) for c in children), default=0)
