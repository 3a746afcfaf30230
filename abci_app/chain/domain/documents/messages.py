"""Messages of the documents module."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PublishDocument:
    """Register a document by its SHA-256 ``content_hash``; the signer becomes its owner.

    ``supersedes`` (optional) names an earlier version owned by the signer.
    """

    content_hash: bytes
    title: str
    media_type: str
    uri: str = ""
    supersedes: bytes = b""


@dataclass(frozen=True, slots=True)
class AttachDocument:
    """Attach a published document to a request, offer, agreement, proposal or project."""

    content_hash: bytes
    target_kind: str
    target_id: int
