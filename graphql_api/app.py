"""``build_app``: the Starlette application (``/graphql``, ``/healthz``, ``/metrics``).

The lifespan opens the node's LMDB environment read-only once per process (or uses
a ``Store`` handed in, for in-process tests: LMDB forbids opening one environment
twice in a process), starts the one commit notifier and the query worker threads
(``execution.py``), and closes them at shutdown.  Request bodies are limited by
``http_limits.BodyLimit``; each HTTP request gets one ``Budget`` (time and cost) shared
by its operations, each operation its own ``Context``.
"""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from cross_web import HTTPException

from abci_app.adapter.storage.store import Store
from graphql_api.cache import ResponseCache
from graphql_api.context import Budget, Context, Services
from graphql_api.dashboard import SecureStatic
from graphql_api.execution import Workers
from graphql_api.http_limits import BodyLimit
from graphql_api.limits import Limits
from graphql_api.metrics import CONTENT_TYPE, Metrics
from graphql_api.notifier import CommitNotifier
from graphql_api.rpc import NodeRpc
from graphql_api.schema import build_schema
from graphql_api.types.broadcast import FIELD
from graphql_api.ws import LimitedTransportWS


# The dashboard (dashboard/, hand-written static files, no build step) is served at "/";
# the API stays at /graphql.  Absent directory (e.g. an installed wheel without it): not mounted.
DASHBOARD_DIR = Path(__file__).resolve().parent.parent / "dashboard"
# A WebSocket must send connection_init this soon after opening, or it is closed (4408):
# an idle socket that never starts holds one of its client's connection slots no longer.
CONNECTION_INIT_SECONDS = 10


class SamenGraphQL(GraphQL):
    """Strawberry's ASGI view with Samen's per-request ``Context``, WebSocket caps (``ws.py``)
    and no ``broadcastTransaction`` inside a batch (one broadcast per request)."""

    graphql_transport_ws_handler_class = LimitedTransportWS

    async def get_context(self, request, response=None) -> Context:
        """One context per HTTP request (with its ``Budget``) or per WebSocket connection (none)."""
        services = request.scope["app"].state.services
        config = services.config
        budget = Budget(config.timeout_seconds, config.max_cost) if request.scope["type"] == "http" else None
        return Context(services=services, request=request, response=response, budget=budget)

    async def parse_http_body(self, request):
        data = await super().parse_http_body(request)
        if isinstance(data, list) and any(FIELD in (item.query or "") for item in data):
            raise HTTPException(400, f"{FIELD} cannot be batched: send it alone, one per request")
        return data


def build_app(config, store: Store | None = None) -> Starlette:
    """Return the ASGI app for ``config``; ``store`` (optional) is used instead of opening one."""
    view = SamenGraphQL(build_schema(config), graphql_ide="graphiql" if config.graphiql else None,
                        allow_queries_via_get=False, subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
                        max_subscriptions_per_connection=config.max_subscriptions_per_connection,
                        keep_alive=True, keep_alive_interval=15,
                        connection_init_wait_timeout=timedelta(seconds=CONNECTION_INIT_SECONDS))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        own = store is None
        opened = Store(config.store_dir, readonly=True, map_size=config.map_size_gib << 30) if own else store
        metrics = Metrics()
        rpc = NodeRpc(config.rpc_url) if config.rpc_url else None
        notifier = CommitNotifier(opened, rpc, config.poll_interval, metrics)
        cache = ResponseCache(config.response_cache, config.response_cache_bytes, config.response_cache_entry_bytes)
        metrics.watch_cache(cache)
        limits = Limits(config, metrics)
        metrics.websockets.set_function(lambda: limits.connections.held)
        workers = Workers(config.worker_threads)
        app.state.services = Services(config, opened, notifier, rpc, metrics, cache, limits, workers)
        task = asyncio.create_task(notifier.run())
        try:
            yield
        finally:
            workers.close()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if rpc is not None:
                await rpc.close()
            if own:
                opened.close()

    async def healthz(request):
        services = request.app.state.services
        return JSONResponse({"status": "ok", "height": services.notifier.height})

    async def metrics_endpoint(request):
        return Response(request.app.state.services.metrics.render(), media_type=CONTENT_TYPE)

    routes = [Route("/graphql", view, methods=["GET", "POST"]), WebSocketRoute("/graphql", view),
              Route("/healthz", healthz), Route("/metrics", metrics_endpoint)]
    if DASHBOARD_DIR.is_dir():
        routes.append(Mount("/", SecureStatic(DASHBOARD_DIR), name="dashboard"))
    return Starlette(routes=routes, lifespan=lifespan,
                     middleware=[Middleware(BodyLimit, max_bytes=config.max_body_bytes)])
