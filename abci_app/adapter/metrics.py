"""The app's Prometheus metrics (``prometheus-client``), served on loopback (``[metrics]`` in app.toml).

``AppMetrics`` is the ABCI server's observer (``abci_app.adapter.server.Observer``): the
server calls it from its one thread, so every value is updated in that thread and
the HTTP thread of ``prometheus_client`` only renders them.  The three per-request series
(request time, CheckTx and block transaction counts) are plain-int tallies
(``abci_app.adapter.metrics_tally``) rendered as the same counter and histogram samples.  The series and the
alerts built on them are listed in ``docs/operations.md`` ("Monitoring").
Nothing here can stop the node: a port that cannot be bound is logged and the
node runs without its metrics endpoint.
"""

from __future__ import annotations

import logging

from prometheus_client import CollectorRegistry, Counter, Gauge, start_http_server

from abci_app.adapter.metrics_tally import Tallies, TallyCounter, TallyHistogram

log = logging.getLogger("samen.metrics")
SECONDS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
DUE_EVENT = "DueQueue"
_CHECK_LABELS = {(recheck, ok): ("recheck" if recheck else "new", "accepted" if ok else "rejected")
                 for recheck in (False, True) for ok in (False, True)}


class AppMetrics:
    """Every series of the ABCI app, in a registry of its own (see the module doc)."""

    def __init__(self, store) -> None:
        self.store = store
        self.registry = r = CollectorRegistry()
        self.request_seconds = TallyHistogram("samen_abci_request_seconds", "time to answer one ABCI request, by "
                                              "method (finalize_block: block execution; commit: the LMDB write)",
                                              "method", SECONDS)
        self.block_txs = TallyCounter("samen_block_txs", "transactions executed in blocks, by result code",
                                      ("codespace", "code"))
        self.check_txs = TallyCounter("samen_check_txs", "CheckTx answers by kind (new, recheck) and result",
                                      ("kind", "result"))
        r.register(Tallies(self.request_seconds, self.block_txs, self.check_txs))
        self.height = Gauge("samen_committed_height", "last committed height", registry=r)
        self.app_version = Gauge("samen_app_version", "app version of the committed state", registry=r)
        self.due_items = Counter("samen_due_items", "time-driven items handled by end-block queues", ["queue"],
                                 registry=r)
        self.due_waiting = Gauge("samen_due_queue_waiting", "1 when a queue left due items for later blocks "
                                 "(a backlog), by queue", ["queue"], registry=r)
        self.state_entries = Gauge("samen_state_entries", "keys in the latest state", registry=r)
        self.lmdb_used = Gauge("samen_lmdb_used_bytes", "bytes of the LMDB map in use (pages up to the last used)",
                               registry=r)
        self.lmdb_live = Gauge("samen_lmdb_live_bytes", "bytes of the pages the stored data occupies, by part "
                               "(state: latest state and retained versions; records: block and tx records); falls "
                               "when pruning frees pages, unlike the file", ["part"], registry=r)
        self.lmdb_map = Gauge("samen_lmdb_map_bytes", "LMDB map size (the most the store can grow to)", registry=r)
        self.oldest_height = Gauge("samen_oldest_retained_height", "oldest height whose state is still readable",
                                   registry=r)
        self._queues: set[str] = set()

    def serve(self, host: str, port: int) -> bool:
        """Start the HTTP endpoint (``/metrics``) in a daemon thread; False (logged) if it cannot bind."""
        try:
            start_http_server(port, addr=host, registry=self.registry)
        except OSError as exc:
            log.error("metrics endpoint %s:%d not started: %s", host, port, exc)
            return False
        log.info("metrics on http://%s:%d/metrics", host, port)
        return True

    # -- the server's observer -------------------------------------------------------------

    def request(self, method: str, seconds: float) -> None:
        self.request_seconds.observe(method, seconds)

    def check_tx(self, recheck: bool, outcome) -> None:
        self.check_txs.add(_CHECK_LABELS[recheck, outcome.code == 0])

    def finalize_block(self, result) -> None:
        add = self.block_txs.add
        for tx in result.txs:
            add((tx.codespace or "ok", tx.code))
        waiting = dict.fromkeys(self._queues, 0)
        for event in result.events:
            if type(event).__name__ == DUE_EVENT:
                self.due_items.labels(event.queue).inc(event.processed)
                waiting[event.queue] = 1 if event.more else 0
        for queue, value in waiting.items():
            self.due_waiting.labels(queue).set(value)
        self._queues.update(waiting)

    def committed(self, app) -> None:
        """After Commit: height, app version and the store's size (O(1) LMDB statistics)."""
        self.height.set(app.committed.height)
        self.oldest_height.set(app.committed.oldest)
        self.app_version.set(app.app_version())
        env = self.store.env
        info, stat = env.info(), env.stat()
        self.lmdb_used.set((info["last_pgno"] + 1) * stat["psize"])
        self.lmdb_map.set(info["map_size"])
        for part, size in self.store.live_bytes().items():
            self.lmdb_live.labels(part).set(size)
        with env.begin(write=False) as txn:
            self.state_entries.set(txn.stat(self.store.db(b"state"))["entries"])
