"""Async JSON-RPC calls to the node's CometBFT RPC (validators, broadcast).

Every call is bounded by a timeout; an unreachable node or a JSON-RPC error raises
``RpcUnavailable`` (a client-facing ``ApiError``) with one line naming the cause.
"""

from __future__ import annotations

import asyncio
import base64
import itertools

import httpx

from graphql_api.errors import ApiError

# The longest a COMMIT broadcast holds the client's request (the whole RPC call).  CometBFT
# answers broadcast_tx_commit with an error after its own ``timeout_broadcast_tx_commit``
# (10 s by default); this bounds the wait whatever the node is configured to.
COMMIT_WAIT = 15.0


class RpcUnavailable(ApiError):
    """The node's RPC did not answer, or answered with an error."""


class NodeRpc:
    def __init__(self, url: str, timeout: float = 5.0) -> None:
        self.url = url
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._http = httpx.AsyncClient(timeout=timeout)

    async def close(self) -> None:
        await self._http.aclose()

    async def call(self, method: str, timeout: float | None = None, **params) -> dict:
        payload = {"jsonrpc": "2.0", "id": next(self._ids), "method": method, "params": params}
        try:
            response = await self._http.post(self.url, json=payload, timeout=timeout or self.timeout)
            doc = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RpcUnavailable(f"node RPC at {self.url} unavailable: {type(exc).__name__}") from None
        if doc.get("error"):
            error = doc["error"]
            raise RpcUnavailable(f"node: {error.get('data') or error.get('message')}")
        return doc.get("result", {})

    async def send(self, raw: bytes, mode: str) -> dict:
        """Broadcast ``raw`` with ``broadcast_tx_sync`` or ``broadcast_tx_commit``."""
        tx = base64.b64encode(raw).decode()
        if mode == "SYNC":
            return await self.call("broadcast_tx_sync", tx=tx)
        try:
            return await asyncio.wait_for(self.call("broadcast_tx_commit", timeout=COMMIT_WAIT, tx=tx), COMMIT_WAIT)
        except asyncio.TimeoutError:
            raise RpcUnavailable(f"no block committed the transaction within {COMMIT_WAIT:g}s; it may still "
                                 "commit: follow its hash") from None
