"""Per-client budgets of the GraphQL server: WebSocket connections, operations, broadcasts.

A *client* is the remote address the server sees: an IPv4 address, or the /64 prefix
of an IPv6 address (one host usually holds a whole /64).  Behind a reverse proxy on
loopback, uvicorn takes the address from ``X-Forwarded-For`` (``docs/graphql.md``).

* ``Caps``: a global and a per-client count of things held (connections, operations
  in flight); ``acquire`` answers with a refusal reason instead of raising, ``release``
  gives the slot back.  Every ``acquire`` that returned ``None`` must be released once.
* ``RateLimiter``: a token bucket per client (``rate`` tokens a second, at most
  ``burst`` saved); ``take`` raises ``RateLimited`` when the bucket is empty.  At most
  ``max_clients`` buckets are kept; the least recently used go first (a forgotten
  client starts again with a full bucket, which is what an idle one would have).

None of this is consensus code: the wall clock (``time.monotonic``) is fine here.
"""

from __future__ import annotations

import ipaddress
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Callable

from graphql_api.errors import ApiError

MAX_TRACKED_CLIENTS = 10_000


class RateLimited(ApiError):
    """The client sent more than its rate allows; ``extensions`` says when to retry."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.extensions = {"code": "RATE_LIMITED", "retryable": True,
                           "retryAfterSeconds": round(max(retry_after, 0.001), 3)}


class LimitExceeded(ApiError):
    """A cap on things held at once (operations in flight, COMMIT waits) is reached."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.extensions = {"code": "LIMIT_EXCEEDED", "retryable": True}


def client_key(connection) -> str:
    """Return the client identity of a Starlette ``Request``/``WebSocket`` (or ``None``)."""
    client = getattr(connection, "client", None)
    host = getattr(client, "host", None) or "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


@dataclass
class Caps:
    """How many of ``what`` may be held at once: ``total`` over all clients, ``per_client`` each."""

    what: str
    total: int
    per_client: int

    def __post_init__(self) -> None:
        self._held: dict[str, int] = {}
        self._count = 0
        self._lock = threading.Lock()

    @property
    def held(self) -> int:
        return self._count

    def held_by(self, client: str) -> int:
        return self._held.get(client, 0)

    def acquire(self, client: str) -> str | None:
        """Take one slot for ``client``; return ``None``, or why it was refused."""
        with self._lock:
            if self._count >= self.total:
                return f"too many {self.what} on this server (at most {self.total}); retry later"
            mine = self._held.get(client, 0)
            if mine >= self.per_client:
                return f"too many {self.what} from your address (at most {self.per_client})"
            self._held[client] = mine + 1
            self._count += 1
            return None

    def release(self, client: str) -> None:
        """Give back one slot ``client`` acquired."""
        with self._lock:
            mine = self._held.get(client, 0)
            if mine <= 0:
                return
            if mine == 1:
                del self._held[client]
            else:
                self._held[client] = mine - 1
            self._count -= 1


class RateLimiter:
    """A token bucket per client: ``rate`` tokens a second, at most ``burst`` kept."""

    def __init__(self, what: str, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_TRACKED_CLIENTS) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError(f"{what}: rate must be > 0 and burst >= 1 (got {rate}, {burst})")
        self.what = what
        self.rate = float(rate)
        self.burst = float(burst)
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()   # client -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str) -> None:
        """Spend one token of ``client``'s bucket; raise ``RateLimited`` when it is empty."""
        with self._lock:
            now = self.clock()
            tokens, at = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - at) * self.rate)
            allowed = tokens >= 1.0
            self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
        if not allowed:
            raise RateLimited(f"{self.what}: rate limit of {self.rate:g}/s (burst {self.burst:g}) "
                              "reached for your address; retry later", (1.0 - tokens) / self.rate)

    @property
    def tracked(self) -> int:
        return len(self._buckets)


# CometBFT lets one RPC client hold 5 event subscriptions (``max_subscriptions_per_client``)
# and ``broadcast_tx_commit`` takes one for its wait; the server is a single RPC client for
# all of its own clients, so it keeps below that.
MAX_COMMIT_WAITS = 4
COMMIT_WAITS_PER_CLIENT = 2


class Limits:
    """The server's budgets, built once per process from ``ApiConfig`` (see the module docstring)."""

    def __init__(self, config, metrics=None, clock: Callable[[], float] = time.monotonic) -> None:
        self.connections = Caps("WebSocket connections", config.websocket_cap, config.max_connections_per_client)
        self.operations = Caps("subscriptions", config.max_subscriptions, config.max_subscriptions_per_client)
        self.broadcasts = RateLimiter("broadcastTransaction", config.broadcast_rate, config.broadcast_burst, clock)
        self.commit_waits = Caps("COMMIT broadcasts waiting", MAX_COMMIT_WAITS, COMMIT_WAITS_PER_CLIENT)
        self.metrics = metrics

    def refused(self, kind: str) -> None:
        """Count one refusal of ``kind`` (``/metrics``: ``samen_graphql_refused_total``)."""
        if self.metrics is not None:
            self.metrics.refused.labels(kind).inc()
