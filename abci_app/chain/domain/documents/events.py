"""Typed events of the documents module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True, slots=True)
class DocumentPublished:
    TYPE: ClassVar[str] = "document_published"
    content_hash: bytes
    owner: str
    supersedes: bytes


@dataclass(frozen=True, slots=True)
class DocumentAttached:
    TYPE: ClassVar[str] = "document_attached"
    content_hash: bytes
    target_kind: str
    target_id: int
    attached_by: str
