"""Signature checks of new CheckTx transactions on a worker thread, off the event loop.

The ABCI server handles every request on one thread.  Ed25519 verification is the
largest single cost of a CheckTx (about a quarter of the app's time under load), and
libsodium releases the GIL while it runs, so the server hands the signatures of each
read batch's new (not RECHECK) CheckTx transactions to ``Preverifier`` first: a worker
thread verifies them in chunks while the loop answers the requests of the chunks
already checked, or serves the other connections (FinalizeBlock, Commit, queries).

The worker only computes ``abci_app.chain.auth.verified_hash`` (a pure function of the
bytes) and touches no shared state; the loop thread passes the hashes it returns to
``auth.mark_verified``, so the CheckTx that follows finds its signature verified.  A
transaction the worker could not verify (bad signature, undecodable bytes, even a bug)
is simply not marked and goes through the ordinary path, which answers or halts as it
always did.  Answers are therefore exactly those of the inline path, in request order;
nothing consensus-relevant depends on this module (docs/transactions.md, "Signing").
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from abci_app.chain import auth

log = logging.getLogger("samen.abci")
CHUNK = 64       # transactions per worker job: the loop starts answering after the first chunk
MINIMUM = 1      # new CheckTx requests in a batch before the worker is used at all


def verify_all(raws: list[bytes]) -> list[bytes]:
    """Return the hashes of the transactions in ``raws`` whose signatures are valid (runs on the worker)."""
    hashes = []
    for raw in raws:
        try:
            tx_hash = auth.verified_hash(raw)
        except Exception:   # not ours to judge: the ordinary path checks this transaction again
            log.debug("signature worker skipped a transaction", exc_info=True)
            continue
        if tx_hash is not None:
            hashes.append(tx_hash)
    return hashes


class Preverifier:
    """Splits a batch of parsed requests into chunks whose new CheckTx signatures a worker verifies."""

    def __init__(self, workers: int = 1, chunk: int = CHUNK, minimum: int = MINIMUM) -> None:
        self.workers, self.chunk, self.minimum = workers, chunk, minimum
        self._pool: ThreadPoolExecutor | None = None

    def submit(self, count: int, new: list[tuple[int, bytes]]) -> list[tuple[int, Future | None]]:
        """Plan the answers to a batch of ``count`` requests whose new CheckTx are ``new`` (index, tx bytes).

        Returns ``(end, future)`` per chunk: answer the requests up to index ``end`` once ``future``
        is done (it resolves to the verified hashes: ``mark`` them on the loop thread); a future is
        None where nothing needs to be waited for.
        """
        if self.workers <= 0 or len(new) < self.minimum:
            return [(count, None)]
        pool = self._executor()
        chunks: list[tuple[int, Future | None]] = []
        for start in range(0, len(new), self.chunk):
            part = new[start:start + self.chunk]
            chunks.append((part[-1][0] + 1, pool.submit(verify_all, [raw for _, raw in part])))
        if chunks[-1][0] < count:
            chunks.append((count, None))
        return chunks

    @staticmethod
    def mark(hashes: list[bytes]) -> None:
        """Record the worker's verified hashes (call on the loop thread)."""
        for tx_hash in hashes:
            auth.mark_verified(tx_hash)

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="samen-verify")
        return self._pool

    def close(self) -> None:
        """Stop the worker threads (after the server stops; pending jobs finish first)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
