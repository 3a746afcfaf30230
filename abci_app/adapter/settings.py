"""Node settings: ``<home>/config/app.toml``, parsed once into a frozen ``Settings``.

Every field has a default, so a missing file or section is fine; unknown keys are
errors (a typo must not silently fall back to a default).  Relative paths are
relative to the node home.  See ``config/app.example.toml`` for the reference.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

APP_TOML = "config/app.toml"


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path
    abci_address: str = ""            # default: unix://<home>/data/abci.sock
    abci_verify_workers: int = 1      # threads verifying new CheckTx signatures off the event loop (0: inline)
    store_path: str = "data/samen"    # LMDB environment directory
    store_map_size_gib: int = 64      # LMDB map size (sparse; the file grows as needed)
    store_retain_heights: int = 1000  # past heights kept readable (state, proofs); older ones are pruned
    store_retain_blocks: int = 0      # CometBFT blocks kept (retain_height at Commit; docs/operations.md); 0: all
    records_retain_blocks: int = 0    # block/tx records kept (adapter/records_retention.py); 0: all
    records_prune_heights: int = 100  # heights of records pruned at most per Commit
    snapshot_interval: int = 0        # state-sync snapshot every K heights (0: none)
    snapshot_keep_recent: int = 2     # snapshots kept on disk
    snapshot_chunk_bytes: int = 4 << 20   # chunk size (CometBFT takes < 16 MB)
    snapshot_restore_max_chunks: int = 16_384         # a peer's snapshot with more chunks is refused
    snapshot_restore_max_entries: int = 200_000_000   # ... or with more state keys
    graphql_host: str = "127.0.0.1"
    graphql_port: int = 8080
    graphql_nice: int = 10            # the GraphQL server runs this much lower in CPU priority (0-19)
    # GraphQL resource limits (docs/graphql.md "Limits"; graphql_api/config.py takes every graphql_* field)
    graphql_max_depth: int = 10               # selection depth
    graphql_max_aliases: int = 15             # aliases, fragments expanded
    graphql_max_tokens: int = 1000            # tokens of one document (parsing stops past it)
    graphql_max_batch: int = 10               # operations in one HTTP batch
    graphql_max_first: int = 1000             # page size (`first`)
    graphql_scan_budget: int = 100_000        # index entries one operation may examine
    graphql_max_subscriptions_per_connection: int = 10
    graphql_max_cost: int = 100_000           # static query cost per HTTP request (graphql_api/cost.py)
    graphql_proof_cost: int = 100             # cost of one Account.proof
    graphql_unpaged_list_cost: int = 10       # items assumed for a list field without `first`
    graphql_timeout_seconds: float = 10.0     # time per HTTP request (all operations of a batch)
    graphql_worker_threads: int = 4           # threads running queries off the event loop
    graphql_response_cache: int = 512         # cached answers (0: off)
    graphql_response_cache_bytes: int = 16 << 20       # all cached answers together (JSON bytes)
    graphql_response_cache_entry_bytes: int = 1 << 20  # larger answers are not cached
    graphql_max_query_chars: int = 32 << 10   # query text of one operation (characters)
    graphql_max_body_bytes: int = 1 << 20     # HTTP request body (413 above)
    graphql_max_header_bytes: int = 32 << 10  # request line + headers (431 above)
    graphql_header_timeout_seconds: float = 10.0   # a request's head must arrive within this
    graphql_keep_alive_seconds: int = 75      # idle keep-alive connections are closed after this
    graphql_limit_concurrency: int = 512      # connections + requests in progress (503 above)
    graphql_max_connections: int = 256             # WebSocket connections, all clients (at most limit_concurrency / 2)
    graphql_max_connections_per_client: int = 20   # ... from one remote address
    graphql_max_subscriptions: int = 2000          # subscriptions (operations over WebSockets), all clients
    graphql_max_subscriptions_per_client: int = 100
    graphql_broadcast_rate: float = 2.0            # broadcastTransaction: tokens a second per client
    graphql_broadcast_burst: int = 20              # ... saved at most
    graphql_broadcast_commit: str = "auto"         # COMMIT mode: auto (on for a loopback bind) | on | off
    metrics_host: str = "127.0.0.1"       # the app's Prometheus endpoint (docs/operations.md "Monitoring")
    metrics_port: int = 26670             # 0: no endpoint
    log_level: str = "info"
    log_format: str = "json"              # json (one object per line) | text
    log_cometbft: str = "consensus:info,state:info,*:error"   # CometBFT's --log_level under `samen start` ("": config.toml's)

    @property
    def store_dir(self) -> Path:
        return self.home / self.store_path

    @property
    def snapshot_dir(self) -> Path:
        return self.home / "data" / "snapshots"

    @property
    def abci(self) -> str:
        return self.abci_address or f"unix://{self.home / 'data' / 'abci.sock'}"

    @classmethod
    def load(cls, home: Path) -> "Settings":
        path = home / APP_TOML
        doc = tomllib.loads(path.read_text()) if path.exists() else {}
        flat = {}
        for section, values in doc.items():
            if not isinstance(values, dict):
                raise ValueError(f"{path}: top-level key {section!r} must be a [section]")
            for key, value in values.items():
                flat[f"{section}_{key}"] = value
        known = {f.name for f in fields(cls)} - {"home"}
        unknown = sorted(set(flat) - known)
        if unknown:
            raise ValueError(f"{path}: unknown settings {', '.join(unknown)}")
        return cls(home=home, **flat)


def render(settings: Settings) -> str:
    """Return ``app.toml`` text for ``settings`` (used by ``samen init``)."""
    lines = []
    for section in ("abci", "store", "records", "snapshot", "graphql", "metrics", "log"):
        lines.append(f"[{section}]")
        for f in fields(Settings):
            if f.name.startswith(section + "_"):
                value = getattr(settings, f.name)
                text = f'"{value}"' if isinstance(value, str) else str(value)
                lines.append(f"{f.name[len(section) + 1:]} = {text}")
        lines.append("")
    return "\n".join(lines)
