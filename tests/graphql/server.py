"""Run ``python -m graphql_api`` as a real process beside a TestNode (loopback only, bounded waits)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.support.node import TestNode, free_port


class GraphQLServer:
    """One ``python -m graphql_api --home H`` process; ``query`` posts over HTTP."""

    def __init__(self, node: TestNode, home: Path | None = None, args: tuple[str, ...] = ()) -> None:
        """``home`` (default the node's) is where the server reads ``app.toml``; ``args`` are added."""
        self.node = node
        self.home = home or node.home
        self.args = list(args)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql"
        self.log = node.root / ("graphql.log" if home is None else f"graphql-{home.name}.log")
        self.process: subprocess.Popen | None = None
        self.http = httpx.Client(timeout=30.0)

    def start(self, timeout: float = 30.0) -> "GraphQLServer":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "graphql_api", "--home", str(self.home), "--host", "127.0.0.1",
                 "--port", str(self.port), *self.args], stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True, env=dict(os.environ))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"graphql server exited: {self.log.read_text()[-2000:]}")
            try:
                if self.http.get(f"http://127.0.0.1:{self.port}/healthz").status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise TimeoutError("graphql server did not answer /healthz in time")

    def query(self, text: str, variables: dict | None = None) -> dict:
        return self.http.post(self.url, json={"query": text, "variables": variables or {}}).json()

    def data(self, text: str, variables: dict | None = None) -> dict:
        body = self.query(text, variables)
        assert "errors" not in body, body["errors"]
        return body["data"]

    def stop(self) -> None:
        self.http.close()
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
