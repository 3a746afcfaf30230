"""A small synchronous client for CometBFT's JSON-RPC (v0.38) over HTTP.

Contract:
* every method sends one JSON-RPC 2.0 POST to the node and returns the ``result``
  object as plain Python data (CometBFT's JSON: integers as strings, bytes as
  base64 or hex exactly as the node sends them), except where a docstring says
  it decodes something;
* an unreachable node raises ``NodeUnreachable`` with one line naming the URL;
  a JSON-RPC error (for example "tx already exists in cache") raises
  ``RpcError``; both derive from ``ClientError`` so callers can catch one type;
* every request is bounded by ``timeout`` seconds (``broadcast_tx_commit`` waits
  for the node's own commit timeout plus ``timeout``).

Nothing here knows about Samen's transaction format except ``abci_query``'s
answer, which the app encodes as canonical JSON.
"""

from __future__ import annotations

import base64
import itertools
import json
import time

import httpx

DEFAULT_NODE = "http://127.0.0.1:26657"


class ClientError(Exception):
    """Base of every error this client raises."""


class NodeUnreachable(ClientError):
    """The node's RPC endpoint did not answer."""


class RpcError(ClientError):
    """The node answered with a JSON-RPC error."""


class WaitTimeout(ClientError):
    """A bounded wait ended before the awaited thing happened."""


def normalize_url(node: str) -> str:
    """Accept ``tcp://host:port`` (CometBFT's notation), ``host:port`` or an http(s) URL."""
    node = node.strip().rstrip("/")
    if node.startswith("tcp://"):
        node = "http://" + node[len("tcp://"):]
    if not node.startswith(("http://", "https://")):
        node = "http://" + node
    return node


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


class RpcClient:
    """JSON-RPC client bound to one node URL."""

    def __init__(self, node: str = DEFAULT_NODE, timeout: float = 10.0) -> None:
        self.url = normalize_url(node)
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._http = httpx.Client(timeout=timeout)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> "RpcClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def call(self, method: str, timeout: float | None = None, **params) -> dict:
        """Send one JSON-RPC request and return its ``result``."""
        payload = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        try:
            response = self._http.post(self.url, json=payload, timeout=timeout or self.timeout)
        except httpx.TimeoutException:
            raise NodeUnreachable(f"node at {self.url} did not answer {method} within {timeout or self.timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise NodeUnreachable(f"cannot reach the node at {self.url}: {_reason(exc)}") from None
        try:
            doc = response.json()
        except json.JSONDecodeError:
            raise RpcError(f"node at {self.url} answered {method} with HTTP {response.status_code}, not JSON") from None
        if doc.get("error"):
            error = doc["error"]
            detail = error.get("data") or error.get("message") or str(error)
            raise RpcError(f"{method}: {detail}")
        return doc.get("result", {})

    # -- node information ---------------------------------------------------------------

    def status(self) -> dict:
        return self.call("status")

    def height(self) -> int:
        """Return the latest committed block height."""
        return int(self.status()["sync_info"]["latest_block_height"])

    def block(self, height: int | None = None) -> dict:
        return self.call("block", **_height(height))

    def block_results(self, height: int | None = None) -> dict:
        return self.call("block_results", **_height(height))

    def validators(self, height: int | None = None) -> dict:
        return self.call("validators", **_height(height))

    def abci_info(self) -> dict:
        return self.call("abci_info")["response"]

    # -- application queries --------------------------------------------------------------

    def abci_query(self, path: str, data: bytes = b"", height: int = 0) -> dict:
        """Run an ABCI query; return ``{"code", "codespace", "log", "height", "value"}``.

        ``value`` is the app's canonical JSON decoded into Python data (``None`` when
        the answer is empty or not JSON); ``code`` 0 means success.
        """
        params = {"path": path, "data": data.hex(), "height": str(height), "prove": False}
        answer = self.call("abci_query", **params)["response"]
        raw = base64.b64decode(answer.get("value") or "")
        try:
            value = json.loads(raw) if raw else None
        except ValueError:
            value = None
        return {"code": int(answer.get("code", 0)), "codespace": answer.get("codespace", ""),
                "log": answer.get("log", ""), "height": int(answer.get("height", 0)), "value": value}

    # -- transactions ----------------------------------------------------------------------

    def broadcast_tx_sync(self, tx: bytes) -> dict:
        """Submit to the mempool after CheckTx; result has ``code``, ``codespace``, ``log``, ``hash``."""
        return self.call("broadcast_tx_sync", tx=b64(tx))

    def broadcast_tx_async(self, tx: bytes) -> dict:
        return self.call("broadcast_tx_async", tx=b64(tx))

    def broadcast_tx_commit(self, tx: bytes, timeout: float = 30.0) -> dict:
        """Submit and wait for the block; result has ``check_tx``, ``tx_result`` and ``height``."""
        return self.call("broadcast_tx_commit", timeout=timeout, tx=b64(tx))

    def check_tx(self, tx: bytes) -> dict:
        """Run CheckTx without adding to the mempool (bypasses the mempool's cache)."""
        return self.call("check_tx", tx=b64(tx))

    def tx(self, tx_hash: bytes) -> dict | None:
        """Return the committed transaction with this hash, or ``None`` if not (yet) indexed."""
        try:
            return self.call("tx", hash=b64(tx_hash), prove=False)
        except RpcError as exc:
            if "not found" in str(exc):
                return None
            raise

    def wait_for_tx(self, tx_hash: bytes, timeout: float = 30.0, poll: float = 0.2) -> dict:
        """Poll ``/tx`` until the transaction is committed; raise ``WaitTimeout`` after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.tx(tx_hash)
            if found is not None:
                return found
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"transaction {tx_hash.hex().upper()} not committed within {timeout:g}s")
            time.sleep(poll)

    def wait_for_height(self, height: int, timeout: float = 30.0, poll: float = 0.1) -> int:
        """Poll ``/status`` until the chain reaches ``height``; return the height reached."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                current = self.height()
                if current >= height:
                    return current
            except NodeUnreachable:
                current = None
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"chain did not reach height {height} within {timeout:g}s (at {current})")
            time.sleep(poll)


def _height(height: int | None) -> dict:
    return {} if height is None else {"height": str(height)}


def _reason(exc: httpx.HTTPError) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]
