"""The latest signed headers and their validator sets, kept for clients that verify answers.

A client (the dashboard's verifier, ``dashboard/js/app/verify.js``) checks a state proof at
height H against the ``app_hash`` in the header of block H+1, that header's hash against
the block id its commit signs, the commit's Ed25519 signatures and the validator set's hash
(``docs/proofs.md`` section 4).  The app never sees headers or commit signatures (ABCI
gives it neither), so they come from the node's CometBFT RPC: on every new committed
height the commit notifier calls ``refresh()``, which fetches ``/commit`` (the newest
block) and ``/validators`` at that height, in its own task with the RPC's timeout, and
keeps the last ``KEEP`` of them.  Resolvers read this cache and never wait on the network.

Nothing here is trusted by the client: it re-checks every byte against what the
validators signed.  The cache only spares the client from talking to CometBFT's RPC.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict

from graphql_api.rpc import NodeRpc, RpcUnavailable

log = logging.getLogger("samen.graphql")

KEEP = 8               # signed headers kept (by height)
PER_PAGE = 100         # CometBFT's largest /validators page
MAX_PAGES = 10         # at most 1,000 validators fetched per height


class LightBlocks:
    """The last ``KEEP`` light blocks: ``{"signed_header": ..., "validators": [...]}`` by height."""

    def __init__(self, rpc: NodeRpc | None) -> None:
        self.rpc = rpc
        self.blocks: OrderedDict[int, dict] = OrderedDict()
        self.error = ""

    def latest(self) -> dict | None:
        """The newest light block kept, or None."""
        return self.blocks[next(reversed(self.blocks))] if self.blocks else None

    def at(self, height: int) -> dict | None:
        return self.blocks.get(height)

    async def refresh(self) -> None:
        """Fetch the newest signed header and its validator set (no-op when already kept)."""
        if self.rpc is None:
            return
        try:
            signed = (await self.rpc.call("commit"))["signed_header"]
            height = int(signed["header"]["height"])
            if height in self.blocks:
                return
            validators = await self._validators(height)
        except (RpcUnavailable, KeyError, TypeError, ValueError) as exc:
            self.error = str(exc) or type(exc).__name__
            log.warning(json.dumps({"event": "light_block_unavailable", "error": self.error}))
            return
        self.error = ""
        self.blocks[height] = {"signed_header": signed, "validators": validators}
        while len(self.blocks) > KEEP:
            self.blocks.popitem(last=False)

    async def _validators(self, height: int) -> list[dict]:
        entries: list[dict] = []
        for page in range(1, MAX_PAGES + 1):
            result = await self.rpc.call("validators", height=str(height), page=str(page), per_page=str(PER_PAGE))
            entries.extend(result.get("validators", []))
            if len(entries) >= int(result.get("total", 0)) or not result.get("validators"):
                break
        return entries
