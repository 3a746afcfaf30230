"""Invariant checks over a running ``FaultNet`` and a height monitor (all bounded, RPC only).

* ``hash_check(nodes)``: at every height both nodes have, the block ids (so the
  headers, hence the transactions and the app hash of the previous block) are
  identical on all nodes; for every height h checked since the last call, the app
  hash FinalizeBlock returned on that node (``block_results``) equals the one in
  header h+1; and ``abci_info`` (the app's last committed app hash) equals the
  header after it.  Returns the highest height checked on all nodes.
* ``Monitor``: samples every node's height every 0.25 s in a thread; ``max_stall``
  reports the longest time the network's top height did not advance in a window.
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time

from abci_app.tools.client.rpc import NodeUnreachable, RpcError
from tests.support.procs import hex_hash

BATCH = 20   # /blockchain returns at most 20 block metas


def block_ids(node, low: int, high: int) -> dict[int, tuple[str, str]]:
    """Return ``{height: (block id hash, header app_hash)}`` for ``low..high`` (via ``/blockchain``)."""
    out = {}
    top = high
    while top >= low:
        result = node.rpc.call("blockchain", minHeight=str(max(low, top - BATCH + 1)), maxHeight=str(top))
        for meta in result["block_metas"]:
            header = meta["header"]
            out[int(header["height"])] = (meta["block_id"]["hash"], header["app_hash"].upper())
        top -= BATCH
    return out


class HashChecker:
    """Incremental hash check (see the module docstring); remembers what it already checked per node."""

    def __init__(self) -> None:
        self.results_checked: dict[str, int] = {}
        self.ids: dict[str, dict[int, tuple[str, str]]] = {}

    def check(self, nodes) -> int:
        tips = {n.name: n.height() for n in nodes}
        missing = [name for name, tip in tips.items() if tip is None]
        assert not missing, f"nodes not answering for the hash check: {missing}"
        for node in nodes:
            known = self.ids.setdefault(node.name, {})
            start = max(known) + 1 if known else 1
            if tips[node.name] >= start:
                known.update(block_ids(node, start, tips[node.name]))
        common = min(tips.values())
        reference = self.ids[nodes[0].name]
        for node in nodes[1:]:
            theirs = self.ids[node.name]
            diverged = [h for h in range(1, common + 1) if theirs.get(h) != reference.get(h)]
            assert not diverged, f"{node.name} differs from {nodes[0].name} at heights {diverged[:5]}"
        for node in nodes:
            self._check_results(node, tips[node.name])
        return common

    def _check_results(self, node, tip: int) -> None:
        ids = self.ids[node.name]
        first = self.results_checked.get(node.name, 0) + 1
        for height in range(first, tip):
            returned = hex_hash(node.rpc.block_results(height).get("app_hash", ""))
            assert returned == ids[height + 1][1], (
                f"{node.name}: FinalizeBlock({height}) returned {returned}, header {height + 1} has {ids[height + 1][1]}")
        self.results_checked[node.name] = max(first - 1, tip - 1)
        info = node.rpc.abci_info()
        last = int(info.get("last_block_height", 0))
        if last + 1 in ids:
            assert hex_hash(info.get("last_block_app_hash", "")) == ids[last + 1][1], (
                f"{node.name}: app's last app hash (height {last}) differs from header {last + 1}")


class Monitor:
    """Sample heights of ``net.nodes`` in a background thread (bounded by ``stop()``)."""

    def __init__(self, net, period: float = 0.25) -> None:
        self.net = net
        self.period = period
        self.samples: list[tuple[float, int]] = []   # (monotonic time, top height seen)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="height-monitor", daemon=True)

    def start(self) -> "Monitor":
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.period):
            heights = []
            for node in list(self.net.nodes):
                if node.up:
                    try:
                        heights.append(int(node.rpc.call("status", timeout=1.0)["sync_info"]["latest_block_height"]))
                    except (NodeUnreachable, RpcError, KeyError, ValueError):
                        pass
            if heights:
                self.samples.append((time.monotonic(), max(heights)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5.0)

    def max_stall(self, since: float, until: float | None = None) -> float:
        """Longest interval in ``[since, until]`` during which the top height did not advance."""
        until = until or time.monotonic()
        window = [(t, h) for t, h in self.samples if since <= t <= until]
        if not window:
            return until - since
        longest, last_change, last_height = 0.0, window[0][0], window[0][1]
        for t, h in window:
            if h > last_height:
                longest = max(longest, t - last_change)
                last_change, last_height = t, h
        return max(longest, window[-1][0] - last_change)

    def top(self) -> int:
        return self.samples[-1][1] if self.samples else 0


def check_acknowledged_exactly_once(net, sample: int = 25) -> None:
    """Assert every transaction ``net.load`` acknowledged is in exactly one block of the common chain.

    Blocks are scanned on one validator; block ids are equal on every live node (the
    hash check), and ``/tx`` on every live node spot-checks ``sample`` of them.
    """
    acked = dict(net.load.acked)
    last = max(acked.values(), default=0)
    net.wait_all(last, timeout=30.0, nodes=net.live())  # a live node may still be a block behind the ack
    common = net.checker.check(net.live())
    assert last <= common, f"acknowledged up to height {last}, common chain only to {common}"
    reference = net.live()[0]
    seen: dict[str, int] = {}
    for height in range(1, common + 1):
        for tx in reference.rpc.block(height)["block"]["data"]["txs"] or []:
            digest = hashlib.sha256(base64.b64decode(tx)).hexdigest().upper()
            if digest in acked:
                seen[digest] = seen.get(digest, 0) + 1
    lost = [h for h in acked if h not in seen]
    duplicated = [h for h, n in seen.items() if n > 1]
    assert not lost and not duplicated, f"lost {lost[:3]}, duplicated {duplicated[:3]}"
    for node in net.live():
        for digest in sorted(acked)[:sample]:
            assert node.rpc.tx(bytes.fromhex(digest)) is not None, f"{node.name} has no tx {digest}"
