"""GraphQL server configuration: one frozen ``ApiConfig``, built once in ``__main__``.

Defaults suit a public read API: introspection on, GraphiQL off (Strawberry's bundled
GraphiQL page loads React and GraphiQL from a CDN, so it does not work offline; see
``docs/graphql.md``), limits on depth, aliases, tokens, page size, batch size, query
cost and time per HTTP request, the response cache's bytes and HTTP sizes and times;
caps on WebSocket connections and subscriptions and a rate limit on
``broadcastTransaction`` per client (``limits.py``).  Every field that is also a
``graphql_<name>`` setting of ``app.toml`` is taken from there (``from_home``).
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from abci_app.adapter.settings import Settings

MAX_FIRST = 1000
DEFAULT_FIRST = 100


@dataclass(frozen=True, slots=True)
class ApiConfig:
    store_dir: Path
    rpc_url: str = "http://127.0.0.1:26657"
    idle_block_seconds: int | None = None   # CometBFT's empty-block interval when idle (idle_block_seconds_from_home)
    host: str = "127.0.0.1"
    port: int = 8080
    introspection: bool = True
    graphiql: bool = False
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 1000
    max_batch: int = 10
    max_first: int = MAX_FIRST
    scan_budget: int = 100_000          # index entries one operation may examine
    timeout_seconds: float = 10.0       # per HTTP request: all operations of a batch together
    max_subscriptions_per_connection: int = 10
    poll_interval: float = 0.1          # commit notifier's polling period
    # Resource limits; the defaults (and their documentation) live in abci_app.adapter.settings.Settings.
    max_cost: int = 100_000             # static cost per HTTP request (cost.py)
    proof_cost: int = 100
    unpaged_list_cost: int = 10
    worker_threads: int = 4             # queries run in this many threads, off the event loop
    response_cache: int = 512           # answers kept per process (0: off); see cache.py
    response_cache_bytes: int = 16 << 20
    response_cache_entry_bytes: int = 1 << 20
    max_query_chars: int = 32 << 10
    max_body_bytes: int = 1 << 20
    max_header_bytes: int = 32 << 10
    header_timeout_seconds: float = 10.0
    keep_alive_seconds: int = 75
    limit_concurrency: int = 512
    map_size_gib: int = 64
    nice: int = 10                      # CPU priority below the starting process (``__main__``)
    # WebSocket caps (``limits.py``, ``ws.py``); a client is one remote address.
    max_connections: int = 256          # open WebSocket connections, all clients (see websocket_cap)
    max_connections_per_client: int = 20
    max_subscriptions: int = 2000       # operations in flight over WebSockets, all clients
    max_subscriptions_per_client: int = 100
    # broadcastTransaction (``types/broadcast.py``): a token bucket per client, and COMMIT mode
    broadcast_rate: float = 2.0         # tokens a second
    broadcast_burst: int = 20           # tokens saved at most
    broadcast_commit: str = "auto"      # auto (on only for a loopback bind) | on | off

    def __post_init__(self) -> None:
        if self.broadcast_commit not in COMMIT_MODES:
            raise ValueError(f"graphql broadcast_commit must be one of {', '.join(COMMIT_MODES)}, "
                             f"got {self.broadcast_commit!r}")
        for name in ("max_connections", "max_connections_per_client", "max_subscriptions",
                     "max_subscriptions_per_client", "broadcast_burst", "max_cost", "worker_threads",
                     "max_query_chars", "max_body_bytes", "max_header_bytes", "keep_alive_seconds",
                     "limit_concurrency"):
            if getattr(self, name) < 1:
                raise ValueError(f"graphql {name} must be at least 1, got {getattr(self, name)}")
        if self.broadcast_rate <= 0:
            raise ValueError(f"graphql broadcast_rate must be above 0, got {self.broadcast_rate}")
        if self.header_timeout_seconds <= 0:
            raise ValueError(f"graphql header_timeout_seconds must be above 0, got {self.header_timeout_seconds}")

    @property
    def websocket_cap(self) -> int:
        """The cap on open WebSockets: ``max_connections``, but at most half of ``limit_concurrency``.

        uvicorn counts open WebSockets in ``limit_concurrency``; were they allowed every slot,
        HTTP requests would get only 503s."""
        if not self.limit_concurrency:
            return self.max_connections
        return max(1, min(self.max_connections, self.limit_concurrency // 2))

    @property
    def commit_enabled(self) -> bool:
        """Whether ``broadcastTransaction(mode: COMMIT)`` is served (``auto``: only on a loopback bind)."""
        if self.broadcast_commit != "auto":
            return self.broadcast_commit == "on"
        return is_loopback(self.host)


COMMIT_MODES = ("auto", "on", "off")


def is_loopback(host: str) -> bool:
    """Return whether ``host`` (a listen address) only reaches this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False



def rpc_url_from_home(home: Path) -> str:
    """Return the node's RPC URL from ``<home>/config/config.toml`` ([rpc] laddr)."""
    path = home / "config" / "config.toml"
    if not path.exists():
        return ApiConfig.rpc_url
    laddr = tomllib.loads(path.read_text()).get("rpc", {}).get("laddr", "")
    if not laddr.startswith("tcp://"):
        return ApiConfig.rpc_url
    host_port = laddr[len("tcp://"):].replace("0.0.0.0", "127.0.0.1")
    return "http://" + host_port


def idle_block_seconds_from_home(home: Path) -> int | None:
    """How long an idle chain may go without a block, from ``<home>/config/config.toml``'s
    ``[consensus]``: ``create_empty_blocks_interval`` in seconds when ``create_empty_blocks`` is
    false (0: never), ``None`` when empty blocks are made continuously or the file is absent."""
    path = home / "config" / "config.toml"
    if not path.exists():
        return None
    consensus = tomllib.loads(path.read_text()).get("consensus", {})
    if consensus.get("create_empty_blocks", True):
        return None
    interval = str(consensus.get("create_empty_blocks_interval", "0s"))
    units = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    total = 0.0
    for number, unit in re.findall(r"([0-9.]+)(ms|s|m|h)", interval):
        total += float(number) * units[unit]
    return int(total)


def from_home(home: Path, **overrides) -> ApiConfig:
    """Build the configuration of a node home; ``overrides`` win over the home's settings.

    Every ``graphql_<name>`` setting of ``app.toml``'s ``[graphql]`` section becomes the
    ``ApiConfig`` field ``<name>``.
    """
    settings = Settings.load(home)
    values = {f.name: getattr(settings, "graphql_" + f.name) for f in fields(ApiConfig)
              if hasattr(settings, "graphql_" + f.name)}
    values.update({"store_dir": settings.store_dir, "rpc_url": rpc_url_from_home(home),
                   "idle_block_seconds": idle_block_seconds_from_home(home),
                   "map_size_gib": settings.store_map_size_gib})
    values.update({k: v for k, v in overrides.items() if v is not None})
    return ApiConfig(**values)
