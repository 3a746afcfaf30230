"""The process group of one node home: ``abci`` (our app), ``cometbft``, and ``graphql`` when present.

The app starts first and is ready when its unix socket exists; CometBFT then
connects to it and is ready when its RPC port accepts connections.  GraphQL (``python -m graphql_api --home H``) joins only when the
``graphql_api.__main__`` module exists and is not disabled.
"""

from __future__ import annotations

import importlib.util
import signal
import socket
from pathlib import Path

from abci_app.tools.node.cometbft import NodeError, find_binary
from abci_app.tools.node.home import is_initialized, rpc_url, socket_path
from abci_app.adapter.settings import Settings
from abci_app.tools.node.supervisor import Child
from abci_app.tools.node.versions import current_python


COMETBFT_ENV = {"CMT_LOG_FORMAT": "json"}   # config.toml's log_format, for this run: JSON lines (tools.node.loglines)


def graphql_available() -> bool:
    try:
        return importlib.util.find_spec("graphql_api.__main__") is not None
    except (ImportError, ValueError):
        return False


def node_children(home: Path, with_graphql: bool = True, python: str | None = None) -> list[Child]:
    """Return the children of a node group for ``home`` (raise ``NodeError`` if not initialized).

    ``python`` runs the app and GraphQL: by default the version in use (``versions.current_python``).
    """
    home = home.resolve()
    if not is_initialized(home):
        raise NodeError(f"{home} is not a node home: run `samen init --home {home}` first")
    sock = socket_path(home)
    if sock.exists():
        sock.unlink()   # a stale socket from an earlier run; the app binds a new one
    python = python or current_python(home)
    children = [
        Child("abci", [python, "-m", "abci_app", "--home", str(home)], ready=sock.exists,
              stop_signal=signal.SIGINT),
        Child("cometbft", cometbft_argv(home), env=COMETBFT_ENV, ready=lambda: _accepts(rpc_url(home))),
    ]
    if with_graphql and graphql_available():
        children.append(Child("graphql", [python, "-m", "graphql_api", "--home", str(home)]))
    return children


def cometbft_argv(home: Path) -> list[str]:
    """``cometbft start``, with ``--log_level`` from ``[log] cometbft`` of app.toml when set.

    The default keeps consensus and state at info (heights, commits) and every other module at error.
    """
    argv = [find_binary(), "start", "--home", str(home)]
    level = Settings.load(home).log_cometbft
    return argv + ["--log_level", level] if level else argv


def _accepts(url: str) -> bool:
    """Return whether a TCP connection to ``http://host:port`` succeeds."""
    host, _, port = url.split("://", 1)[-1].rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False
