"""One commit notifier per process: a single task feeds every subscription.

It polls the committed height in LMDB ``meta`` every ``interval`` seconds (one
short read transaction per poll, however many subscribers there are) and wakes all
waiters when the height moves.  On each new height it also refreshes the cached
validator set and the newest signed header (``lightblocks.py``) from the node's RPC
(in its own task, bounded by a timeout), so resolvers never wait on the network.
"""

from __future__ import annotations

import asyncio
import json
import logging

from abci_app.adapter.storage.store import ReadersFull
from graphql_api.lightblocks import LightBlocks
from graphql_api.rpc import NodeRpc, RpcUnavailable

log = logging.getLogger("samen.graphql")


class CommitNotifier:
    def __init__(self, store, rpc: NodeRpc | None, interval: float = 0.1, metrics=None) -> None:
        self.store = store
        self.rpc = rpc
        self.interval = interval
        self.metrics = metrics
        self.height = store.committed().height
        self.validators: dict | None = None
        self.validators_error = ""
        self.light_blocks = LightBlocks(rpc)
        self._changed = asyncio.Event()
        self._refresh: asyncio.Task | None = None

    def poll(self) -> bool:
        """Read the committed height once; wake waiters and return True when it moved.

        With every LMDB reader slot taken, this poll is skipped (the next one retries)."""
        try:
            height = self.store.committed().height
        except ReadersFull:
            log.warning(json.dumps({"event": "readers_full", "where": "commit notifier"}))
            return False
        if height == self.height:
            return False
        self.height = height
        if self.metrics is not None:
            self.metrics.served_height.set(height)
        changed, self._changed = self._changed, asyncio.Event()
        changed.set()
        return True

    async def run(self) -> None:
        """Poll until cancelled."""
        self._start_refresh()
        while True:
            if self.poll():
                self._start_refresh()
            await asyncio.sleep(self.interval)

    async def wait_for(self, height: int) -> None:
        """Return once the committed height is at least ``height``."""
        while self.height < height:
            await self._changed.wait()

    def _start_refresh(self) -> None:
        if self.rpc is not None and (self._refresh is None or self._refresh.done()):
            self._refresh = asyncio.create_task(self._refresh_validators())

    async def _refresh_validators(self) -> None:
        try:
            self.validators = await self.rpc.call("validators", per_page="100")
            self.validators_error = ""
        except RpcUnavailable as exc:
            self.validators_error = str(exc)
        await self.light_blocks.refresh()
