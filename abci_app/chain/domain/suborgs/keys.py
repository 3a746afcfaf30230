"""State keys of the sub-organizations module: ``LINK`` + pad(child) -> link; ``CHILDREN`` + pad(parent) + "/" + pad(child)."""

from __future__ import annotations

LINK = b"sub/l/"
CHILDREN = b"sub/c/"


def pad(number: int) -> bytes:
    return b"%020d" % number


def link(child_id: int) -> bytes:
    return LINK + pad(child_id)


def children(parent_id: int) -> bytes:
    return CHILDREN + pad(parent_id) + b"/"


def child(parent_id: int, child_id: int) -> bytes:
    return children(parent_id) + pad(child_id)
