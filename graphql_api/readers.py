"""LMDB read transactions for the GraphQL server: short, closed before any ``await`` or ``yield``.

LMDB gives each live read transaction a slot in a lock table shared with the app
(``abci_app.adapter.storage.store.MAX_READERS`` slots), and py-lmdb keeps an aborted
transaction's slot until the Python object is freed.  So a transaction must not
only be aborted but also unreachable before the server waits on anything:

* ``run(store, fn, *args)`` is the way code that waits (subscription generators,
  the broadcast mutation) reads: ``fn`` gets a fresh ``Reader``; the transaction is
  closed before ``run`` returns, and only ``fn``'s result reaches the caller, so no
  name in the caller's frame refers to the transaction across its next ``yield``.
  ``fn`` must return plain values (records, strawberry objects), never the reader or
  a snapshot over it.
* ``transaction(store)`` is the context manager underneath; on exit the ``Reader``
  is *closed*: its ``txn`` is replaced by a sentinel that raises on any use, so a
  reader kept by mistake holds no slot and fails loudly instead.
* When every slot is taken, beginning a transaction raises ``ReadersBusy``: a
  client-facing error with ``extensions: {code: "UNAVAILABLE", retryable: true}``.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

from abci_app.chain.state import proofs
from abci_app.adapter.storage.store import Committed, ReadersFull, Store
from graphql_api.errors import ApiError

T = TypeVar("T")


class ReadersBusy(ApiError):
    """Every LMDB reader slot is taken; the client should retry shortly."""

    extensions = {"code": "UNAVAILABLE", "retryable": True}


class _Closed:
    """Stands in for a closed transaction: any use is a bug, reported as such."""

    __slots__ = ()

    def __getattr__(self, name: str):
        raise RuntimeError(f"read transaction used after it was closed (.{name})")


CLOSED = _Closed()


@dataclass(slots=True)
class Reader:
    """A read transaction with the store it belongs to and the block it reflects."""

    store: Store
    txn: Any
    _committed: Committed | None = None
    scanned: int = 0

    @property
    def committed(self) -> Committed:
        if self._committed is None:
            self._committed = self.store.committed(self.txn)
        return self._committed

    @property
    def state(self):
        """The latest committed state as a ``StateRead`` for the domain read functions."""
        return self.store.snapshot(self.txn)

    def state_at(self, height: int):
        """The state as committed at ``height`` (checked by ``types.common.state_height``)."""
        if height == self.committed.height:
            return self.state
        return self.store.state_at(self.txn, height)

    def proof(self, key: bytes, height: int) -> bytes:
        """Return the ``samen:smt`` proof of ``key`` under the app hash of ``height``."""
        return proofs.prove(self.store.nodes(self.txn), self.store.root_at(self.txn, height), key).encode()

    def close(self) -> None:
        """Abort the transaction and drop this reader's reference to it (idempotent)."""
        txn, self.txn = self.txn, CLOSED
        if txn is not CLOSED:
            txn.abort()


def begin(store: Store) -> Reader:
    """Begin a read transaction; the caller must ``close()`` the reader.  Raises ``ReadersBusy``."""
    try:
        return Reader(store, store.read_txn())
    except ReadersFull:
        raise ReadersBusy("the server is busy (no free LMDB reader slot); retry shortly") from None


@contextmanager
def transaction(store: Store) -> Iterator[Reader]:
    """Yield a fresh ``Reader``; close it on exit, whatever happened inside."""
    reader = begin(store)
    try:
        yield reader
    finally:
        reader.close()


def run(store: Store, fn: Callable[..., T], *args: Any) -> T:
    """Return ``fn(reader, *args)`` computed in its own read transaction, closed before returning."""
    with transaction(store) as reader:
        return fn(reader, *args)
