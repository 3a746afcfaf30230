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
* One ``Budget`` per HTTP request (made in ``app.SamenGraphQL.get_context``): a
  deadline ``timeout_seconds`` after the request arrived and ``max_cost`` to spend
  (``cost.py``), shared by every operation of a batch; each operation gets its own
  ``Context`` (``for_operation``) holding the shared budget.  A WebSocket operation has
  no request budget: its clock starts when it begins and its cost is checked alone.
* ``check_deadline()`` raises ``QueryTimeout`` once the time is up; list loops and
  costly resolvers (``Account.proof``) call it, so a long request stops instead of
  running on.
"""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator

from abci_app.adapter.storage.store import Store
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
    workers: Any = None    # ``execution.Workers``; None: operations run on the event loop


class Budget:
    """One HTTP request's allowance: a deadline and a cost, shared by its operations (thread-safe)."""

    def __init__(self, timeout_seconds: float, max_cost: int) -> None:
        self.deadline_ns = time.monotonic_ns() + int(timeout_seconds * 1e9)
        self.max_cost = max_cost
        self.cost_left = max_cost
        self._lock = threading.Lock()

    def spend(self, cost: int) -> int | None:
        """Take ``cost`` from what is left; return ``None``, or (refused) what was left."""
        with self._lock:
            if cost > self.cost_left:
                return self.cost_left
            self.cost_left -= cost
            return None

    def seconds_left(self) -> float:
        return max(0.0, (self.deadline_ns - time.monotonic_ns()) / 1e9)


@dataclass(slots=True)
class Context:
    services: Services
    request: Any = None
    response: Any = None
    connection_params: Any = None
    budget: Budget | None = None
    _depth: int = 0
    _reader: Reader | None = None
    _deadline_ns: int = 0

    @property
    def config(self):
        return self.services.config

    def for_operation(self) -> "Context":
        """Return a fresh context for one operation of this request (same services and budget)."""
        return Context(self.services, self.request, self.response, self.connection_params, self.budget)

    def spend(self, cost: int) -> int | None:
        """Charge an operation's static cost; return ``None``, or (refused) what was left to spend."""
        if self.budget is not None:
            return self.budget.spend(cost)
        return None if cost <= self.config.max_cost else self.config.max_cost

    def begin(self) -> None:
        """Enter an operation scope and start its clock (the request's, when there is one)."""
        if self._depth == 0:
            self._deadline_ns = (self.budget.deadline_ns if self.budget is not None
                                 else time.monotonic_ns() + int(self.config.timeout_seconds * 1e9))
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

    def seconds_left(self) -> float:
        """Seconds until the request's deadline (a whole time limit when there is no request budget)."""
        return self.budget.seconds_left() if self.budget is not None else float(self.config.timeout_seconds)

    def check_deadline(self) -> None:
        if self._depth > 0 and time.monotonic_ns() >= self._deadline_ns:
            raise QueryTimeout(f"request exceeded the time limit of {self.config.timeout_seconds:g}s")

    def charge(self, reader: Reader, entries: int = 1) -> None:
        """Count index entries examined; stop an operation past its scan budget or deadline."""
        before = reader.scanned
        reader.scanned += entries
        if reader.scanned > self.config.scan_budget:
            raise ApiError(f"operation examined more than {self.config.scan_budget} index entries; "
                           "narrow it with an indexed filter (signer, action, type, block range)")
        if before // 64 != reader.scanned // 64 or before == 0:
            self.check_deadline()
