"""The hostile-client harness: one real node and one real GraphQL server, probed as an attacker would.

Contract (helpers add test files to ``tests/hostile/``; keep it stable):

* ``Hostile`` holds ``node`` (a started ``TestNode``: the app and the pinned ``cometbft``),
  ``server`` (a ``GraphQLServer``: ``python -m graphql_api --home`` as its own process) and
  the addresses a client would use: ``rpc_url``, ``graphql_url``, ``ws_url``, ``base_url``,
  ``host``/``port`` (for raw sockets).
* ``assert_healthy()`` is the check made after every abuse: the app, CometBFT and the
  GraphQL process are still running, the chain commits a block above the height seen on
  entry within ``BLOCK_WAIT`` seconds, and ``GET /healthz`` on a fresh connection answers
  200 within ``HEALTHZ_TIMEOUT`` (1 s; a client timeout, so a stalled server fails the
  check rather than slowing it), and the GraphQL process's peak memory stays under
  ``RSS_BOUND``.
* Memory: ``peak_rss()`` is the GraphQL process's high-water mark of resident memory
  (``VmHWM`` in ``/proc/<pid>/status``, which the kernel keeps, so a peak between two
  checks is not missed); where ``/proc`` is unreadable, the current RSS from ``psutil``
  (sampled at each check) stands in.  ``RSS_BOUND`` is asserted at every check and once
  more when the session ends.
"""

from __future__ import annotations

import time

import httpx

from tests.graphql.server import GraphQLServer
from tests.support.node import TestNode

BLOCK_WAIT = 30.0          # seconds for the chain to commit one more block
HEALTHZ_TIMEOUT = 1.0      # seconds for /healthz to answer (the "within a second")
# The GraphQL server idles at about 65 MB; the bound leaves room for the suite's legitimate
# answers (pages of 1,000, the response cache at its byte bound) but not for one abusive
# request's worth of retained memory (finding 4: a single batch kept 410 MB resident).
RSS_BOUND = 256 << 20


def _proc_status_kib(pid: int, field: str) -> int | None:
    """Return a ``kB`` field of ``/proc/<pid>/status`` (``VmRSS``, ``VmHWM``) or ``None``."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def rss_bytes(pid: int) -> int:
    """Return the current resident memory of ``pid`` in bytes (psutil if installed, else /proc)."""
    try:
        import psutil
    except ImportError:
        kib = _proc_status_kib(pid, "VmRSS")
        if kib is None:
            raise RuntimeError(f"cannot read the memory of process {pid}") from None
        return kib * 1024
    return psutil.Process(pid).memory_info().rss


class Hostile:
    """A running node and GraphQL server plus the checks made after each abuse (see module docstring)."""

    def __init__(self, node: TestNode, server: GraphQLServer) -> None:
        self.node = node
        self.server = server
        self.host = "127.0.0.1"
        self.port = server.port
        self.base_url = f"http://{self.host}:{self.port}"
        self.graphql_url = server.url
        self.ws_url = f"ws://{self.host}:{self.port}/graphql"
        self.rpc_url = node.rpc_url
        self.http = httpx.Client(timeout=30.0)
        self.checked = False        # set by assert_healthy, cleared before each test (conftest)
        self._sampled_peak = 0

    @property
    def pid(self) -> int:
        """The GraphQL server's process id."""
        return self.server.process.pid

    # -- client helpers ---------------------------------------------------------------------

    def post(self, body, **kwargs) -> httpx.Response:
        """POST ``body`` (a JSON-able object) to ``/graphql`` and return the response."""
        return self.http.post(self.graphql_url, json=body, **kwargs)

    def query(self, text: str, variables: dict | None = None) -> dict:
        """Run one operation; return the decoded JSON answer."""
        return self.post({"query": text, "variables": variables or {}}).json()

    # -- checks -----------------------------------------------------------------------------

    def peak_rss(self) -> int:
        """Return the GraphQL process's peak resident memory in bytes (see module docstring)."""
        hwm = _proc_status_kib(self.pid, "VmHWM")
        current = rss_bytes(self.pid)
        self._sampled_peak = max(self._sampled_peak, current, 0 if hwm is None else hwm * 1024)
        return self._sampled_peak

    def assert_memory_bounded(self) -> None:
        peak = self.peak_rss()
        assert peak < RSS_BOUND, f"GraphQL server peak RSS {peak >> 20} MiB >= bound {RSS_BOUND >> 20} MiB"

    def assert_alive(self) -> None:
        for name, process in (("app", self.node.app), ("cometbft", self.node.cometbft),
                              ("graphql server", self.server.process)):
            assert process is not None and process.poll() is None, \
                f"{name} exited with {process and process.returncode}:\n{self.node.log_tail()}"

    def assert_healthy(self) -> None:
        """Assert the node still commits and the GraphQL server answers ``/healthz`` within 1 s."""
        self.assert_alive()
        seen = self.node.height()
        self.node.wait_for_height(seen + 1, BLOCK_WAIT)
        started = time.monotonic()
        with httpx.Client(timeout=HEALTHZ_TIMEOUT) as fresh:
            try:
                answer = fresh.get(f"{self.base_url}/healthz")
            except httpx.TimeoutException:
                raise AssertionError(f"/healthz did not answer within {HEALTHZ_TIMEOUT:g} s") from None
        assert answer.status_code == 200, (answer.status_code, answer.text)
        assert time.monotonic() - started < HEALTHZ_TIMEOUT + 0.5  # connect + answer, generous
        self.assert_alive()
        self.assert_memory_bounded()
        self.checked = True

    def close(self) -> None:
        self.http.close()
