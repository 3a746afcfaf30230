"""Schema extensions: the read scope, request observation and the hardening limits.

Extensions are given to the schema as zero-argument factories (a fresh instance
per operation), never shared instances (deprecated in Strawberry 0.316; shared
instances leaked execution state across concurrent requests).
"""

from __future__ import annotations

import json
import logging
import time
from typing import Callable, Iterator

from graphql import GraphQLError, IntValueNode, ValidationRule
from strawberry.extensions import (AddValidationRules, DisableIntrospection, MaskErrors, MaxAliasesLimiter,
                                   MaxTokensLimiter, ParserCache, QueryDepthLimiter, SchemaExtension,
                                   ValidationCache)
from strawberry.types.graphql import OperationType

from graphql_api.cost import CostLimit
from graphql_api.errors import is_client_error
from graphql_api.types.broadcast import SingleBroadcast

log = logging.getLogger("samen.graphql")
# Parsed and validated documents kept (each cache).  A cached 1,000-token document takes about
# 450 KB (its AST and token chain), so 512 distinct ones held ~230 MB; at 64 the worst case is
# about 60 MB for both caches, and an application's distinct query texts still fit.
CACHE_SIZE = 64


class ReadScope(SchemaExtension):
    """Give each query or mutation one read transaction (see ``context.py``); not subscriptions."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context.context
        scoped = self.execution_context.operation_type != OperationType.SUBSCRIPTION
        if scoped:
            ctx.begin()
        try:
            yield
        finally:
            if scoped:
                ctx.end()


class CachedResponse(SchemaExtension):
    """Answer a query from the response cache when the same query ran at the same height."""

    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        ctx, cache = ec.context, ec.context.services.cache
        if cache.size <= 0 or ec.operation_type != OperationType.QUERY:
            yield
            return
        with ctx.read() as reader:
            key = cache.key(ec.query, ec.variables, ec.operation_name, reader.committed.height)
        found = cache.get(key)
        if found is not None:
            ec.result = found
            ctx.services.metrics.cache_hits.inc()
        yield
        if found is None and ec.result is not None and not ec.result.errors:
            cache.put(key, ec.result)


class Observe(SchemaExtension):
    """Count and time each operation; log one JSON line per operation."""

    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        ec = self.execution_context
        seconds = time.perf_counter() - started
        errors = (ec.result.errors if ec.result else None) or ec.pre_execution_errors or []
        op_type = _op_type(ec)
        ec.context.services.metrics.observe(op_type, not errors, seconds)
        log.info(json.dumps({"event": "graphql", "operation": ec.operation_name, "type": op_type,
                             "ms": round(seconds * 1000, 2), "errors": [e.message for e in errors][:3]}))


def _op_type(ec) -> str:
    try:
        return ec.operation_type.value
    except Exception:  # an unparsable document has no operation type
        return "invalid"


def first_limit_rule(cap: int) -> type[ValidationRule]:
    """Return a validation rule rejecting a literal ``first`` argument above ``cap``."""

    class FirstLimit(ValidationRule):
        def enter_argument(self, node, *_args):
            if node.name.value == "first" and isinstance(node.value, IntValueNode) and int(node.value.value) > cap:
                self.report_error(GraphQLError(f"first must be at most {cap}, got {node.value.value}", node))

    return FirstLimit


def limit_rules(config) -> list:
    """Return the depth, alias and ``first`` validation rules, built once per schema.

    The validation cache is keyed by the rule classes, so each request must get the
    SAME classes: a limiter built per request makes new classes and every request
    misses the cache.  Rule classes keep no per-request state (each validation
    instantiates them), unlike extension instances, which must not be shared.
    """
    return (QueryDepthLimiter(max_depth=config.max_depth).validation_rules
            + MaxAliasesLimiter(max_alias_count=config.max_aliases).validation_rules
            + [first_limit_rule(config.max_first), SingleBroadcast])


def factories(config) -> list[Callable[[], SchemaExtension]]:
    """Return the schema's extension factories for ``config``."""
    rules = limit_rules(config)
    out: list[Callable[[], SchemaExtension]] = [
        ReadScope,
        CachedResponse,
        CostLimit,              # after the cache: an answer served from it costs nothing
        Observe,
        lambda: MaxTokensLimiter(max_token_count=config.max_tokens),
        lambda: ParserCache(maxsize=CACHE_SIZE),
        lambda: AddValidationRules(rules),
        lambda: ValidationCache(maxsize=CACHE_SIZE),
        lambda: MaskErrors(should_mask_error=lambda e: not is_client_error(e), error_message="Internal server error"),
    ]
    if not config.introspection:
        out.append(DisableIntrospection)
    return out
