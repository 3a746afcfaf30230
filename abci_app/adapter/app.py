"""LedgerApp: the ABCI 2.0 application logic behind ``abci_app.adapter.server``.

Orchestration only; the rules live in ``abci_app.chain.block`` and the domain packages.
Takes and returns plain Python values and the core's dataclasses; never protobuf.

State flow:
* committed state is the LMDB ``state`` database, read through one read
  transaction that is renewed at every Commit;
* ``check_state`` is an overlay over it that accumulates accepted CheckTx
  transactions until Commit (a signer may have several pending transactions);
* FinalizeBlock runs the block on a fresh overlay and keeps it in memory;
  Commit writes that overlay, the height and the app hash in one LMDB transaction.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from abci_app.chain import apphash, block, genesis
from abci_app.adapter import proposals, queries, recheck, records
from abci_app.chain.context import BlockInfo, TxOutcome
from abci_app.chain.domain import params as params_mod
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.domain.upgrades import gate as upgrade_gate, state as upgrades
from abci_app.chain.domain.upgrades.events import UpgradeApplied
from abci_app.chain.domain.validators import genesis as validators_genesis
from abci_app.chain.errors import BlockTimeUnknown
from abci_app.adapter.faults import FailPoint
from abci_app.adapter.queries import QueryResult
from abci_app.adapter.storage import export, restore
from abci_app.chain.state import smt
from abci_app.chain.state.delta import Delta
from abci_app.adapter.storage.snapshots import SnapshotStore
from abci_app.adapter.storage.store import Store
from abci_app.adapter.records_retention import RecordPruner
from abci_app.adapter.retention import Retention

SOFTWARE_VERSION = "samen/0.1.0"
log = logging.getLogger("samen.upgrade")


@dataclass(frozen=True, slots=True)
class FinalizeResult:
    txs: list[TxOutcome]
    events: list
    app_hash: bytes
    validator_updates: list = field(default_factory=list)
    app_version: int = 0    # the new app version when this block applied an upgrade (0: unchanged)


@dataclass(slots=True)
class _Pending:
    height: int
    time: int
    state: Delta
    app_hash: bytes
    records: dict
    tree: smt.Batch


class LedgerApp:
    def __init__(self, store: Store, fail_point: FailPoint = FailPoint(), snapshots: SnapshotStore | None = None,
                 genesis_chain_id: str = "", restore_limits: restore.Limits = restore.Limits(),
                 retention: Retention = Retention(), record_pruner: RecordPruner = RecordPruner()) -> None:
        self.store = store
        self.retention = retention          # which blocks CometBFT may delete (``retain_height`` at Commit)
        self.record_pruner = record_pruner  # which block/tx records are deleted after each Commit
        self.fail_point = fail_point
        self.snapshots = snapshots          # state-sync snapshots this node builds and serves (None: none)
        self.restorer = restore.Restorer(store, genesis_chain_id, restore_limits)
        self.committed = store.committed()
        self.genesis: Delta | None = None   # InitChain writes, kept until the first Commit
        self.chain_id = self.committed.chain_id
        self.initial_height = 1   # set by InitChain; only used before the first Commit
        self.pending: _Pending | None = None
        self.passed = block.PassedChecks()   # this app's memo of passed stateless checks (never shared)
        self.rechecker = recheck.Rechecker(self.passed)
        self._open_snapshot()

    # -- committed snapshot and check state -------------------------------------------

    def _open_snapshot(self) -> None:
        self._txn = self.store.read_txn()
        base = self.store.snapshot(self._txn)
        self.base = self.genesis if self.genesis is not None else base
        self.params, self.market = params_mod.get(self.base), market_params.get(self.base)
        self.check_state = Delta(self.base)
        self._check_info: BlockInfo | None = None

    def _close_snapshot(self) -> None:
        self._txn.abort()

    def close(self) -> None:
        """Release the app's read snapshot of the store; the store itself stays open (its owner closes it).

        Call it before closing or reopening the store (a test's restart, a benchmark's teardown);
        the app answers nothing afterwards.
        """
        self._close_snapshot()

    # -- ABCI methods ------------------------------------------------------------------

    def info(self) -> tuple[int, bytes]:
        """Return the last committed height and its app hash."""
        return self.committed.height, self.committed.app_hash

    def app_version(self) -> int:
        """The app version of the committed state (raised by upgrades, ``abci_app.chain.domain.upgrades``).

        On an empty store (before InitChain) it is the version InitChain will record in
        genesis, this software's, so CometBFT's handshake puts it in the first headers.
        """
        if self.committed.height == 0 and self.genesis is None:
            return upgrade_gate.genesis_app_version()
        return upgrades.app_version(self.base)

    def startup_problem(self) -> Exception | None:
        """Why this software must not run the chain's next block (``upgrades.gate``), or None."""
        return upgrade_gate.startup_problem(self.base, self.committed.height)

    def init_chain(self, chain_id: str, app_state: bytes, initial_height: int = 1,
                   consensus_validators: list[tuple[bytes, int]] | None = None) -> bytes:
        """Apply genesis to an in-memory overlay and return the initial app hash.

        Nothing is persisted: if the node stops before the first Commit, CometBFT
        sends InitChain again and this runs again from scratch.  When the genesis
        holds a validator set (the ``validators`` section) and ``consensus_validators``
        (CometBFT's ``genesis.json`` validators: ed25519 key, power) is given, the two
        must be equal; otherwise this raises ``ValidatorsGenesisError`` and the node does not start.
        """
        imported = export.load(app_state)   # a state exported from another chain (samen export)
        doc = genesis.load(app_state) if imported is None else None
        self._close_snapshot()
        self.genesis = None
        self._open_snapshot()
        state = Delta(self.base)
        if imported is None:
            genesis.apply(state, doc)
            upgrade_gate.genesis_version(state)
        else:
            export.import_state(state, imported)
            upgrade_gate.migrate_imported(state, max(1, initial_height))
        validators_genesis.check_consensus_set(state, consensus_validators)
        self.chain_id = chain_id
        self.initial_height = max(1, initial_height)
        self.genesis = state
        self.genesis_tree = apphash.genesis_tree(state.write_set())
        self.genesis_hash = apphash.app_hash(self.genesis_tree)
        self.base = state
        self.params, self.market = params_mod.get(state), market_params.get(state)
        self.check_state = Delta(state)
        self._check_info = None
        return self.genesis_hash

    def _next_block_info(self) -> BlockInfo:
        """Describe the next block as far as CheckTx can know it (last committed time); one per Commit."""
        if self._check_info is None:
            self._check_info = BlockInfo(self.committed.height + 1, self.committed.time, self.chain_id, b"", self.params,
                                         self.market)
        return self._check_info

    def check_tx(self, raw: bytes, recheck: bool = False) -> TxOutcome:
        """Run a transaction against the check state; keep its effects only if it passes.

        ``recheck``: CometBFT re-validates a mempool transaction after a block; its
        recorded outcome is replayed when nothing it read has changed (``abci_app.adapter.recheck``).
        Right after a state-sync restore no block time is known (the snapshot's is not
        trusted): every transaction is refused with ``BlockTimeUnknown`` until a block commits.
        """
        if self.committed.height and not self.committed.time:
            return block.rejected(BlockTimeUnknown("this node restored a snapshot and has not committed a block "
                                                   "since, so it knows no block time yet; retry after the next block"))
        return self.rechecker.check(self.check_state, self._next_block_info(), raw, recheck)

    def prepare_proposal(self, txs: list[bytes], max_tx_bytes: int) -> list[bytes]:
        """Keep, in order, the transactions that pass stateless checks, are not repeats and fit (``proposals``)."""
        return proposals.prepare(txs, max_tx_bytes, self._next_block_info(), self.passed)

    def process_proposal(self, txs: list[bytes]) -> bool:
        """Accept a proposal only if every transaction passes the stateless checks and none repeats (``proposals``)."""
        return proposals.acceptable(txs, self._next_block_info(), self.passed)

    def finalize_block(self, height: int, time: int, proposer: bytes, txs: list[bytes],
                       block_hash: bytes = b"", misbehavior: tuple = (), last_commit: tuple = ()) -> FinalizeResult:
        """Execute a decided block in memory and return its results and app hash (no disk writes).

        The whole block runs in ``block.run_block``: ``misbehavior`` (``ValidatorMisbehavior``
        values from the block's evidence) travels in the ``BlockInfo`` to the validators'
        end-block hook, which records it (block events) and reports the validator-set changes
        the block's transactions and proposals made (returned as ``validator_updates``).
        ``last_commit`` (``records.CommitVote`` values) is kept in the block record.
        A height other than the next one is a consensus-level fault: it raises (the
        node halts) instead of writing a block out of sequence.
        """
        self._require_next(height)
        state = Delta(self.base)
        outcome = block.run_block(state, BlockInfo(height, time, self.chain_id, proposer, self.params, self.market,
                                                    misbehavior), txs, self.passed)
        self.rechecker.forget(txs)
        self._log_upgrades(outcome.events, state, height)
        tree = self._next_tree(state, height)
        app_hash = apphash.app_hash(tree)
        record = records.BlockRecord(height, time, block_hash, proposer, len(txs), app_hash,
                                     tuple(records.event_record(e) for e in outcome.events), tuple(last_commit))
        self.pending = _Pending(height, time, state, app_hash, records.rows(record, outcome.txs), tree)
        self.fail_point.hit("finalize_block", height)
        return FinalizeResult(outcome.txs, outcome.events, app_hash, outcome.validator_updates,
                              self._raised_version(state))

    def _require_next(self, height: int) -> None:
        """Raise (the node halts) unless ``height`` is the next one: a block out of sequence is a consensus fault."""
        expected = self.committed.height + 1 if self.committed.height else self.initial_height
        if height != expected:
            raise RuntimeError(f"FinalizeBlock for height {height}, but the next height is {expected}")

    def _raised_version(self, state: Delta) -> int:
        """The app version ``state`` has if the block raised it (an upgrade ran), else 0."""
        version = upgrades.app_version(state)
        return version if version != upgrades.app_version(self.base) else 0

    @staticmethod
    def _log_upgrades(events: list, state: Delta, height: int) -> None:
        for event in events:
            if isinstance(event, UpgradeApplied):   # the block's migration ran (docs/upgrades.md)
                log.info("upgrade %s: migration ran at height %d; app version %d", event.name, height,
                         upgrades.app_version(state))

    def _next_tree(self, state: Delta, height: int) -> smt.Batch:
        """Update the state tree in memory with the block's writes (reads committed nodes only)."""
        nodes = self.store.nodes(self._txn)
        if self.genesis is not None:
            nodes = smt.Layered(self.genesis_tree.new, nodes)
            return apphash.next_tree(nodes, self.genesis_tree.root, state.write_set(), height)
        return apphash.next_tree(nodes, self.committed.root, state.write_set(), height)

    def commit(self) -> int:
        """Persist the finalized block in one LMDB transaction, then reset the check state.

        Returns the ``retain_height`` for CometBFT (``abci_app.adapter.retention``; 0: keep every block).
        """
        pending = self.pending
        assert pending is not None, "Commit without FinalizeBlock"
        writes, tree = pending.state.writes, pending.tree
        if self.genesis is not None:
            merged = dict(self.genesis.writes)
            merged.update(writes)
            writes = merged
            tree = smt.merge(self.genesis_tree, tree)
        self._close_snapshot()
        self.store.commit(sorted(writes.items()), pending.height, pending.app_hash, self.chain_id, pending.time,
                          pending.records, tree=tree)
        self.fail_point.hit("after_commit", pending.height)
        self.record_pruner.after_commit(self.store, pending.height)
        self.committed = self.store.committed()
        self.genesis = None
        self.pending = None
        self._open_snapshot()
        if self.snapshots is not None:
            self.snapshots.after_commit(self.store, pending.height, self.chain_id, pending.time)
        oldest_snapshot = self.snapshots.oldest_height() if self.snapshots is not None else None
        return self.retention.retain_height(pending.height, oldest_snapshot)

    # -- state sync (``abci_app.adapter.storage.snapshots``, ``abci_app.adapter.storage.restore``) ------------

    def list_snapshots(self) -> list:
        return self.snapshots.list() if self.snapshots is not None else []

    def load_snapshot_chunk(self, height: int, format_: int, index: int) -> bytes:
        return self.snapshots.load_chunk(height, format_, index) if self.snapshots is not None else b""

    def offer_snapshot(self, snapshot: restore.Offered, app_hash: bytes) -> str:
        return self.restorer.offer(snapshot, app_hash)

    def apply_snapshot_chunk(self, index: int, chunk: bytes, sender: str) -> restore.ChunkAnswer:
        """Apply a chunk; once the snapshot is restored, the app continues from its height."""
        answer = self.restorer.apply(index, chunk, sender)
        if answer.result == restore.ACCEPT and self.restorer.done:
            self._close_snapshot()
            self.committed = self.store.committed()
            self.chain_id = self.committed.chain_id
            self.genesis = None
            self._open_snapshot()
        return answer

    def query(self, path: str, data: bytes, height: int = 0, prove: bool = False) -> QueryResult:
        """Answer a read of committed state at ``height`` (0: the latest); never raises (``abci_app.adapter.queries``)."""
        return queries.answer(self.store, self.base, self.committed.height, path, data, height, prove)
