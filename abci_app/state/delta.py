"""Copy-on-write overlay: per-transaction and per-block atomicity without undo code.

``Delta(base)`` records writes (a value, or ``None`` for a delete) over a read-only
base.  ``fork()`` makes a child overlay; ``apply()`` merges the child's writes into
its parent.  A failed transaction's fork is simply dropped.
"""

from __future__ import annotations

import heapq
from typing import Iterator

from abci_app.state.protocols import StateRead


class Delta:
    __slots__ = ("base", "writes", "parent")

    def __init__(self, base: StateRead, parent: "Delta | None" = None) -> None:
        self.base = base
        self.parent = parent
        self.writes: dict[bytes, bytes | None] = {}

    def get(self, key: bytes) -> bytes | None:
        writes = self.writes
        if key in writes:
            return writes[key]
        return self.base.get(key)

    def put(self, key: bytes, value: bytes) -> None:
        self.writes[key] = value

    def delete(self, key: bytes) -> None:
        self.writes[key] = None

    def fork(self) -> "Delta":
        """Return a child overlay whose writes reach this one only through ``apply``."""
        return Delta(self, parent=self)

    def apply(self) -> None:
        """Merge this overlay's writes into its parent."""
        assert self.parent is not None, "apply() on a root overlay"
        self.parent.writes.update(self.writes)
        self.writes = {}

    def write_set(self) -> list[tuple[bytes, bytes | None]]:
        """Return the writes sorted by key; ``None`` marks a delete."""
        return sorted(self.writes.items())

    def iter_prefix(self, prefix: bytes, start: bytes | None = None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        """Yield the merged view of base and overlay under ``prefix``, in key order."""
        local = sorted(
            (k, v) for k, v in self.writes.items()
            if k.startswith(prefix) and (start is None or (k < start if reverse else k >= start))
        )
        if reverse:
            local.reverse()
        shadowed = {k for k, _ in local}
        base = ((k, v) for k, v in self.base.iter_prefix(prefix, start, reverse) if k not in shadowed)
        merged = heapq.merge(local, base, key=lambda kv: kv[0], reverse=reverse)
        for key, value in merged:
            if value is not None:
                yield key, value
