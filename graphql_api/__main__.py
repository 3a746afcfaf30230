"""Run the GraphQL server against a node home: ``python -m graphql_api --home H [--host --port]``.

``--export-schema PATH`` writes the schema's SDL and exits (``-`` for stdout).
Logs are JSON lines on stderr.  Several servers may run against one node.

The server lowers its own CPU priority by ``[graphql] nice`` in ``app.toml``
(``--nice`` overrides; default 10, 0 keeps the starter's priority): when readers
and the node compete for the CPU, the app and CometBFT get most of it, so a read
load can slow the answers but hardly the chain.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        doc = {"ts": round(record.created, 3), "level": record.levelname.lower(), "component": "graphql",
               "logger": record.name}
        try:
            doc.update(json.loads(message))
        except ValueError:
            doc["msg"] = message
        return json.dumps(doc)


def lower_priority(increment: int) -> None:
    """Add ``increment`` (clamped to 0..19) to this process's niceness and log the result."""
    increment = max(0, min(19, increment))
    niceness = os.nice(increment)
    logging.getLogger("samen.graphql").info(json.dumps({"event": "priority", "nice": niceness}))


def parse(argv: list[str] | None):
    parser = argparse.ArgumentParser(prog="python -m graphql_api", description="Samen GraphQL server")
    parser.add_argument("--home", type=Path, help="node home directory")
    parser.add_argument("--host", help="listen address (default: app.toml graphql.host)")
    parser.add_argument("--port", type=int, help="listen port (default: app.toml graphql.port)")
    parser.add_argument("--rpc", dest="rpc_url", help="CometBFT RPC URL (default: from config.toml)")
    parser.add_argument("--graphiql", action="store_true", default=None, help="serve GraphiQL (needs a CDN)")
    parser.add_argument("--no-introspection", dest="introspection", action="store_false", default=None)
    parser.add_argument("--timeout", dest="timeout_seconds", type=float, help="seconds per HTTP request (all operations of a batch)")
    parser.add_argument("--response-cache", type=int, help="answers cached per block (0: off; default 512)")
    parser.add_argument("--nice", type=int, help="lower the CPU priority by this much (0-19; default app.toml "
                                                 "graphql.nice, 10)")
    parser.add_argument("--export-schema", metavar="PATH", help="write schema.graphql and exit")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    from graphql_api import config as config_mod
    from graphql_api.schema import build_schema, sdl

    if args.export_schema:
        text = sdl(build_schema(config_mod.ApiConfig(store_dir=Path("."))))
        sys.stdout.write(text) if args.export_schema == "-" else Path(args.export_schema).write_text(text)
        return 0
    if args.home is None:
        print("python -m graphql_api: --home is required", file=sys.stderr)
        return 2
    overrides = {k: getattr(args, k) for k in ("host", "port", "rpc_url", "graphiql", "introspection",
                                              "timeout_seconds", "response_cache", "nice")}
    try:
        config = config_mod.from_home(args.home.resolve(), **overrides)
    except (ValueError, OSError) as exc:
        print(f"python -m graphql_api: {exc}", file=sys.stderr)
        return 2
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler], force=True)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    lower_priority(config.nice)

    serve(config)
    return 0


def serve(config) -> None:
    """Run uvicorn with the HTTP limits of ``config`` (docs/graphql.md "Limits").

    Idle keep-alive connections stay open ``keep_alive_seconds`` (75 by default: with
    uvicorn's 5 s a loaded machine can close a connection just as a client reuses it).
    """
    import uvicorn

    from graphql_api.app import build_app
    from graphql_api.http_limits import LimitedHttpToolsProtocol

    server_config = uvicorn.Config(build_app(config), host=config.host, port=config.port, log_config=None,
                                   access_log=False, ws_max_size=1 << 20, lifespan="on",
                                   http=LimitedHttpToolsProtocol, timeout_keep_alive=config.keep_alive_seconds,
                                   limit_concurrency=config.limit_concurrency)
    server_config.max_header_bytes = config.max_header_bytes
    server_config.header_timeout_seconds = config.header_timeout_seconds
    uvicorn.Server(server_config).run()


if __name__ == "__main__":
    sys.exit(main())
