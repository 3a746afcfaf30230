"""Bounded load for fault tests: transfers whose commitment a client was told about, and a junk flood.

``Load(net)``: one thread per load account sends transfers with ``broadcast_tx_commit``
to the live nodes in turn.  A transaction is *acknowledged* when a node answered
that it was committed (CheckTx and DeliverTx code 0, a height); only those are
recorded (``acked``: hash -> height).  After an error or timeout the account's
sequence is read back from a live node (an unacknowledged transaction may still
commit later; that is allowed).  ``stop()`` ends every thread (bounded).

``flood(url, txs, batch=MAX_BATCH)`` sends junk with JSON-RPC batches of
``broadcast_tx_sync`` to one node (``junk``: random bytes and correctly framed transfers
with a broken signature; callers add transactions above the app's ``max_tx_bytes``).
A batch above CometBFT's default ``rpc.max_request_batch_size`` needs that raised on the
target node (``FLOOD_BATCH``: what the fault network configures).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import threading
import time

import httpx

from abci_app.tools.client.rpc import NodeUnreachable, RpcClient, RpcError
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.wire import encode_varint



class Load:
    def __init__(self, net, signers=None, commit_timeout: float = 15.0) -> None:
        self.net = net
        self.signers = list(signers or net.load_signers)
        self.commit_timeout = commit_timeout
        self.acked: dict[str, int] = {}
        self.unacknowledged = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._worker, args=(i, s), daemon=True, name=f"load-{i}")
                         for i, s in enumerate(self.signers)]
        self._sink = net.signer("bob").address

    def start(self) -> "Load":
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(self.commit_timeout + 10)

    def count(self) -> int:
        with self._lock:
            return len(self.acked)

    def _client(self, index: int, turn: int) -> RpcClient | None:
        live = [n for n in self.net.validators if n.up]
        return live[(index + turn) % len(live)].rpc if live else None

    def _worker(self, index: int, signer) -> None:
        sequence, turn = None, 0
        while not self._stop.is_set():
            turn += 1
            rpc = self._client(index, turn)
            if rpc is None:
                self._stop.wait(0.5)
                continue
            try:
                if sequence is None:
                    sequence = _sequence(rpc, signer.address)
                tx = signer.sign_tx(self.net.config.chain_id, sequence, Transfer(to=self._sink, amount=1))
                result = rpc.broadcast_tx_commit(tx, timeout=self.commit_timeout)
            except (NodeUnreachable, RpcError, KeyError, ValueError):
                sequence = None
                with self._lock:
                    self.unacknowledged += 1
                self._stop.wait(0.3)
                continue
            if _committed(result):
                with self._lock:
                    self.acked[hashlib.sha256(tx).hexdigest().upper()] = int(result["height"])
                sequence += 1
            else:
                sequence = None
                with self._lock:
                    self.unacknowledged += 1


def _sequence(rpc: RpcClient, address: str) -> int:
    answer = rpc.abci_query(f"/account/{address}")
    return int(answer["value"]["sequence"]) if answer["code"] == 0 else 0


def _committed(result: dict) -> bool:
    check, deliver = result.get("check_tx", {}), result.get("tx_result", {})
    return int(check.get("code", 1)) == 0 and int(deliver.get("code", 1)) == 0 and int(result.get("height", 0)) > 0


def junk(count: int, size_range=(40, 400), seed: int = 1) -> list[bytes]:
    """Return ``count`` invalid transactions: random bytes, or a framed body with a broken signature."""
    out = []
    for i in range(count):
        digest = hashlib.sha256(b"junk/%d/%d" % (seed, i)).digest()
        size = size_range[0] + int.from_bytes(digest[:2], "big") % (size_range[1] - size_range[0])
        if i % 2:
            out.append(os.urandom(size))
        else:   # looks like a Tx (field 1 body, field 2 signature) but the signature is garbage
            body = os.urandom(size)
            out.append(b"\x0a" + encode_varint(len(body)) + body + b"\x12\x40" + os.urandom(64))
    return out


MAX_BATCH = 10   # CometBFT's default rpc.max_request_batch_size
FLOOD_BATCH = 100   # the fault network's flood target allows this many per request


def flood(url: str, txs: list[bytes], connections: int = 4, timeout: float = 30.0,
          deadline: float | None = None, batch: int = MAX_BATCH) -> dict:
    """Send ``txs`` in JSON-RPC batches of ``broadcast_tx_sync`` over ``connections`` threads.

    Returns counts of answers by outcome: ``rejected`` (CheckTx answered a non-zero
    code), ``accepted`` (code 0), ``errors`` (no per-transaction answer: RPC error,
    refused batch).  Every thread stops at ``deadline``.
    """
    parts = [dict.fromkeys(("sent", "rejected", "accepted", "errors"), 0) for _ in range(connections)]
    threads = [threading.Thread(target=_flood_part, args=(url, txs[i::connections], parts[i], timeout, deadline, batch),
                                daemon=True) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {key: sum(p[key] for p in parts) for key in parts[0]}


def _flood_part(url: str, txs: list[bytes], counts: dict, timeout: float, deadline: float | None,
                batch: int) -> None:
    with httpx.Client(timeout=timeout) as client:
        for start in range(0, len(txs), batch):
            _send_batch(client, url, txs[start:start + batch], counts)
            if deadline is not None and time.monotonic() > deadline:
                return


def _send_batch(client: httpx.Client, url: str, batch: list[bytes], counts: dict) -> None:
    payload = [{"jsonrpc": "2.0", "id": i, "method": "broadcast_tx_sync",
                "params": {"tx": base64.b64encode(tx).decode()}} for i, tx in enumerate(batch)]
    counts["sent"] += len(batch)
    try:
        answers = client.post(url, content=json.dumps(payload)).json()
    except (httpx.HTTPError, ValueError):
        counts["errors"] += len(batch)
        return
    if not isinstance(answers, list):
        counts["errors"] += len(batch)
        return
    for answer in answers:
        code = int(answer.get("result", {}).get("code", -1)) if "result" in answer else -1
        key = "accepted" if code == 0 else "rejected" if code > 0 else "errors"
        counts[key] += 1
