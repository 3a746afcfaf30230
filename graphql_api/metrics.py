"""Prometheus metrics of the GraphQL server, in a registry of its own (one per app)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.operations = Counter("samen_graphql_operations", "GraphQL operations by type and outcome",
                                  ["type", "outcome"], registry=self.registry)
        self.seconds = Histogram("samen_graphql_operation_seconds", "GraphQL operation latency", ["type"],
                                 buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
                                 registry=self.registry)
        self.served_height = Gauge("samen_graphql_served_height", "latest committed height seen",
                                   registry=self.registry)
        self.subscriptions = Gauge("samen_graphql_subscriptions_active", "open subscriptions",
                                   registry=self.registry)
        self.broadcasts = Counter("samen_graphql_broadcasts", "forwarded transactions by mode and outcome",
                                  ["mode", "outcome"], registry=self.registry)
        self.refused = Counter("samen_graphql_refused", "requests refused by a limit before any work, by kind",
                               ["kind"], registry=self.registry)
        self.websockets = Gauge("samen_graphql_websocket_connections", "open WebSocket connections",
                                registry=self.registry)
        self.cache_hits = Counter("samen_graphql_response_cache_hits", "answers served from the per-block cache",
                                  registry=self.registry)
        self.cache_bytes = Gauge("samen_graphql_response_cache_bytes", "JSON bytes of the cached answers",
                                 registry=self.registry)
        self.cache_skipped = Gauge("samen_graphql_response_cache_skipped", "answers too large to cache, "
                                   "since start", registry=self.registry)

    def watch_cache(self, cache) -> None:
        """Report ``cache``'s size and skipped answers when scraped."""
        self.cache_bytes.set_function(lambda: cache.total_bytes)
        self.cache_skipped.set_function(lambda: cache.skipped)

    def observe(self, op_type: str, ok: bool, seconds: float) -> None:
        self.operations.labels(op_type, "ok" if ok else "error").inc()
        self.seconds.labels(op_type).observe(seconds)

    def broadcast(self, mode: str, answer: dict) -> None:
        check = answer.get("check_tx", answer)
        self.broadcasts.labels(mode, "accepted" if int(check.get("code", 0)) == 0 else "rejected").inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
