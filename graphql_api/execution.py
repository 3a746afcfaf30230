"""Where operations run: queries in a bounded thread pool, never on the event loop.

Resolvers are synchronous and read LMDB, build proofs and complete pages of up to
1,000 objects; on the event loop one heavy request would stall every other request
and ``/healthz`` (finding 5 of issue 13).  ``SamenSchema.execute`` therefore runs a
query operation with Strawberry's ``execute_sync`` in one of ``worker_threads``
threads (``Workers``); the whole operation (its read transaction included) stays in
that thread.  Mutations (``broadcastTransaction`` awaits the node's RPC) and
subscriptions stay on the loop; they do little work of their own.  Every operation
gets its own ``Context`` (``Context.for_operation``): Strawberry hands one context to
all operations of an HTTP batch or of a WebSocket connection, and those run
concurrently.

Which operations are queries is decided by parsing the text in a worker (a 1,000-token
document takes tens of milliseconds to parse, which must not happen on the loop) and
remembered; a mutation or subscription then runs on the loop.  The event loop waits
for a worker at most until the request's deadline plus
``GRACE_SECONDS``: past it the client gets a ``TIME_LIMIT_EXCEEDED`` error while the
worker, which checks the same deadline in its loops and costly resolvers, stops on
its own.  A query text longer than ``max_query_chars`` is refused before parsing
(``QUERY_TOO_LARGE``): parser and validation caches keep documents, so their size
must be bounded too.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

import strawberry
from graphql import GraphQLError, OperationType, parse
from graphql.utilities import get_operation_ast
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType as StrawberryOperationType

from graphql_api.errors import QUERY_TOO_LARGE, TIME_LIMIT_EXCEEDED

GRACE_SECONDS = 1.0
NOT_A_QUERY = object()
KIND_CACHE = 1024          # remembered operation kinds (by a digest of the text, not the text)


class Workers:
    """The bounded thread pool queries run in (one per process, closed at shutdown)."""

    def __init__(self, threads: int) -> None:
        self.pool = ThreadPoolExecutor(max_workers=max(1, threads), thread_name_prefix="samen-graphql")

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


class _Kinds:
    """Whether a (query, operation name) is a query: decided by parsing, in a worker, and
    remembered by a digest of the text (not the text: a cache must not hold 32 KiB strings)."""

    def __init__(self) -> None:
        self._known: OrderedDict[bytes, bool] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def _digest(query: str, operation_name: str | None) -> bytes:
        text = f"{operation_name}\0{query}".encode("utf-8", "surrogatepass")
        return hashlib.blake2b(text, digest_size=16).digest()

    def known(self, query: str, operation_name: str | None) -> bool | None:
        with self._lock:
            return self._known.get(self._digest(query, operation_name))

    def decide(self, query: str, operation_name: str | None, max_tokens: int) -> bool:
        """Parse (the caller is a worker thread) and remember whether this is a query."""
        found = _is_query(query, operation_name, max_tokens)
        with self._lock:
            self._known[self._digest(query, operation_name)] = found
            if len(self._known) > KIND_CACHE:
                self._known.popitem(last=False)
        return found


def _is_query(query: str, operation_name: str | None, max_tokens: int) -> bool:
    """True unless the selected operation is a mutation or subscription (bad documents: True)."""
    try:
        operation = get_operation_ast(parse(query, no_location=True, max_tokens=max_tokens), operation_name)
    except GraphQLError:
        return True         # the worker answers the syntax error
    return operation is None or operation.operation == OperationType.QUERY


def refused(message: str, code: str) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])


class SamenSchema(strawberry.Schema):
    """Strawberry's schema with queries run in ``Workers`` (see the module docstring)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._kinds = _Kinds()

    async def execute(self, query: str | None, variable_values=None, context_value=None, root_value=None,
                      operation_name: str | None = None, allowed_operation_types=None,
                      operation_extensions=None) -> ExecutionResult:
        services = getattr(context_value, "services", None)
        config = getattr(services, "config", None)
        if config is not None and query is not None and len(query) > config.max_query_chars:
            return refused(f"query text is {len(query)} characters, at most {config.max_query_chars} allowed",
                           QUERY_TOO_LARGE)
        if hasattr(context_value, "for_operation"):
            context_value = context_value.for_operation()   # a batch's or a socket's operations run concurrently
        if allowed_operation_types is not None:    # HTTP: subscriptions are served over WebSockets only
            allowed_operation_types = set(allowed_operation_types) - {StrawberryOperationType.SUBSCRIPTION}
        workers = getattr(services, "workers", None)
        call = (query, variable_values, context_value, root_value, operation_name, allowed_operation_types,
                operation_extensions)
        if workers is None or query is None or self._kinds.known(query, operation_name) is False:
            return await super().execute(*call)
        work = functools.partial(self._execute_if_query, call, config.max_tokens)
        future = asyncio.get_running_loop().run_in_executor(workers.pool, work)
        try:
            result = await asyncio.wait_for(future, context_value.seconds_left() + GRACE_SECONDS)
        except asyncio.TimeoutError:
            return refused(f"request exceeded the time limit of {config.timeout_seconds:g}s", TIME_LIMIT_EXCEEDED)
        return await super().execute(*call) if result is NOT_A_QUERY else result

    def _execute_if_query(self, call: tuple, max_tokens: int):
        """In a worker: run the operation if it is a query, else return ``NOT_A_QUERY`` (it runs on the loop)."""
        query, operation_name = call[0], call[4]
        if self._kinds.known(query, operation_name) is None and not self._kinds.decide(query, operation_name,
                                                                                        max_tokens):
            return NOT_A_QUERY
        return self.execute_sync(*call)
