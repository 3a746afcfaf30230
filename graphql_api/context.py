"""Per-request context: ONE short LMDB read transaction per operation.

Contract:
* ``Context.read()`` is the only way resolvers reach LMDB.  Inside a query or
  mutation (between ``begin`` and ``end``, called by ``ReadScope`` in
  ``extensions.py``) every call returns the same ``Reader``: one read transaction,
  opened at the first read, so an answer never mixes two blocks.  Query resolvers
  are synchronous, so the transaction is never held across an ``await``.
* Outside an operation scope (subscription events) each ``read()`` opens and
  closes its own short transaction: nothing is held for a subscription's lifetime.
  Code that waits (subscription generators, the broadcast mutation) reads through
  ``readers.run`` instead, so no transaction is referenced across a ``yield`` or an
  ``await`` (``readers.py`` explains why an aborted one still holds a slot).
* ``check_deadline()`` raises ``QueryTimeout`` once the operation's time is up;
  list loops call it, so a long operation stops instead of running on.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from abci_app.state.store import Store
from graphql_api import readers
from graphql_api.errors import ApiError, QueryTimeout
from graphql_api.readers import Reader


@dataclass(slots=True)
class Services:
    """Process-wide parts shared by every request (built once by ``app.build_app``)."""

    config: Any
    store: Store
    notifier: Any
    broadcaster: Any
    metrics: Any
    cache: Any
    limits: Any = None     # ``limits.Limits``: WebSocket caps and the broadcast rate limit


@dataclass(slots=True)
class Context:
    services: Services
    request: Any = None
    response: Any = None
    connection_params: Any = None
    _depth: int = 0
    _reader: Reader | None = None
    _deadline_ns: int = 0

    @property
    def config(self):
        return self.services.config

    def begin(self) -> None:
        """Enter an operation scope and start its clock."""
        if self._depth == 0:
            self._deadline_ns = time.monotonic_ns() + int(self.config.timeout_seconds * 1e9)
        self._depth += 1

    def end(self) -> None:
        """Leave an operation scope; abort the read transaction when the last scope ends."""
        self._depth -= 1
        if self._depth == 0 and self._reader is not None:
            self._reader.close()
            self._reader = None

    @contextmanager
    def read(self) -> Iterator[Reader]:
        if self._depth > 0:
            if self._reader is None:
                self._reader = readers.begin(self.services.store)
            yield self._reader
            return
        with readers.transaction(self.services.store) as reader:
            yield reader

    def check_deadline(self) -> None:
        if self._depth > 0 and time.monotonic_ns() >= self._deadline_ns:
            raise QueryTimeout(f"operation exceeded the time limit of {self.config.timeout_seconds:g}s")

    def charge(self, reader: Reader, entries: int = 1) -> None:
        """Count index entries examined; stop an operation past its scan budget or deadline."""
        reader.scanned += entries
        if reader.scanned > self.config.scan_budget:
            raise ApiError(f"operation examined more than {self.config.scan_budget} index entries; "
                           "narrow it with an indexed filter (signer, action, type, block range)")
        if reader.scanned % 64 == 1:
            self.check_deadline()
