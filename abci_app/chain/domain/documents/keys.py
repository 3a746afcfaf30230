"""State keys of the documents module.

``attachment(kind, id, hash)`` keys start with ``attachments_of(kind, id)`` so a
prefix scan lists one object's documents in hash order.
"""

from __future__ import annotations

DOCUMENT_PREFIX = b"doc/d/"


def document(content_hash: bytes) -> bytes:
    return DOCUMENT_PREFIX + content_hash.hex().encode()


def successor(content_hash: bytes) -> bytes:
    return b"doc/next/" + content_hash.hex().encode()


def attachments_of(kind: str, target_id: int) -> bytes:
    return b"doc/att/%s/%016x/" % (kind.encode(), target_id)


def attachment(kind: str, target_id: int, content_hash: bytes) -> bytes:
    return attachments_of(kind, target_id) + content_hash.hex().encode()
