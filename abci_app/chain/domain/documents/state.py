"""Typed state access for documents.

A ``Document``'s content hash, title, media type, URI, publication time and
predecessor never change.  Its ``owner`` (who may publish the next version) does
change in one case: a project transfer hands the project's documents owned by the
old project owner to the new one.  The version chain is a separate key, so
publishing a successor leaves the old record untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterator

from abci_app.chain import codec
from abci_app.chain.domain.documents import keys
from abci_app.chain.state.protocols import StateRead, StateWrite


@dataclass(frozen=True, slots=True)
class Document:
    content_hash: bytes
    title: str
    media_type: str
    uri: str
    owner: str
    published_at: int
    supersedes: bytes = b""


@dataclass(frozen=True, slots=True)
class Attachment:
    content_hash: bytes
    attached_by: str
    attached_at: int


def get(state: StateRead, content_hash: bytes) -> Document | None:
    raw = state.get(keys.document(content_hash))
    return None if raw is None else codec.decode_value(Document, raw)


def put(state: StateWrite, doc: Document) -> None:
    state.put(keys.document(doc.content_hash), codec.encode_value(doc))


def successor(state: StateRead, content_hash: bytes) -> bytes | None:
    """Return the hash of the version that supersedes ``content_hash``, if any."""
    raw = state.get(keys.successor(content_hash))
    return None if raw is None else bytes.fromhex(raw.decode())


def set_successor(state: StateWrite, old: bytes, new: bytes) -> None:
    state.put(keys.successor(old), new.hex().encode())


def attach(state: StateWrite, kind: str, target_id: int, attachment_: Attachment) -> None:
    state.put(keys.attachment(kind, target_id, attachment_.content_hash), codec.encode_value(attachment_))


def is_attached(state: StateRead, kind: str, target_id: int, content_hash: bytes) -> bool:
    return state.get(keys.attachment(kind, target_id, content_hash)) is not None


def attachments(state: StateRead, kind: str, target_id: int) -> Iterator[Attachment]:
    for _, raw in state.iter_prefix(keys.attachments_of(kind, target_id)):
        yield codec.decode_value(Attachment, raw)


def hand_over(state: StateWrite, kind: str, target_id: int, old_owner: str, new_owner: str) -> int:
    """Give the documents attached to an object and owned by ``old_owner`` to ``new_owner``; return how many."""
    moved = 0
    for att in list(attachments(state, kind, target_id)):
        doc = get(state, att.content_hash)
        if doc is not None and doc.owner == old_owner:
            put(state, replace(doc, owner=new_owner))
            moved += 1
    return moved
