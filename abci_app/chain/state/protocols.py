"""The minimal read interface every state source offers (LMDB snapshot, overlay, dict)."""

from __future__ import annotations

from typing import Iterator, Protocol


class StateRead(Protocol):
    def get(self, key: bytes) -> bytes | None:
        """Return the value stored under ``key``, or ``None``."""

    def iter_prefix(self, prefix: bytes, start: bytes | None = None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        """Yield ``(key, value)`` for keys starting with ``prefix`` in byte order.

        ``start`` (inclusive, forward; exclusive upper bound when ``reverse``) lets
        callers resume a keyset page.
        """


class StateWrite(StateRead, Protocol):
    """A writable state (the block's copy-on-write overlay): reads plus ``put`` and ``delete``."""

    def put(self, key: bytes, value: bytes) -> None:
        """Store ``value`` under ``key``."""

    def delete(self, key: bytes) -> None:
        """Remove ``key`` (no error if absent)."""


class StateFork(StateWrite, Protocol):
    """A child overlay (``Delta.fork``): its writes reach the parent only through ``apply``."""

    def apply(self) -> None:
        """Merge this overlay's writes into its parent."""


class ForkableState(StateWrite, Protocol):
    """A writable state that can fork a child overlay, for work that takes effect all or nothing."""

    def fork(self) -> StateFork:
        """Return a child overlay over this state."""


class DictState:
    """An in-memory ``StateRead`` over a plain dict; for tests and genesis."""

    def __init__(self, data: dict[bytes, bytes] | None = None) -> None:
        self.data = dict(data or {})

    def get(self, key: bytes) -> bytes | None:
        return self.data.get(key)

    def iter_prefix(self, prefix: bytes, start: bytes | None = None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        keys = sorted(k for k in self.data if k.startswith(prefix))
        if start is not None:
            keys = [k for k in keys if (k < start if reverse else k >= start)]
        for key in reversed(keys) if reverse else keys:
            yield key, self.data[key]
