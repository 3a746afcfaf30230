"""Recheck replay: after a block, re-validate mempool transactions without re-running them.

After every Commit, CometBFT re-sends each transaction still in its mempool as a
RECHECK CheckTx, and the app runs it against the new check state.  A transaction's
outcome is a pure function of its bytes, the block facts it reads and the state
values it reads (``abci_app.chain.block``), so when none of those changed the result and
the writes are the same.  ``Rechecker`` keeps, per accepted transaction, what its
last check read and wrote; on RECHECK it compares the recorded reads with the
current check state and, if all are equal, applies the recorded writes and answers
with the recorded outcome.  Otherwise (a read value changed, the transaction scanned
a key range, or read the block height, time or proposer) it runs the transaction again.

This only touches the check state, which decides mempool admission on this node;
FinalizeBlock always executes every transaction in full, so consensus never
depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain import block
from abci_app.chain.context import BlockInfo, TxOutcome
from abci_app.chain.state.delta import Delta

MEMO_MAX = 1 << 14   # remembered transactions (the default mempool holds 5,000)


class ReadRecorder(Delta):
    """A fork that remembers the first value it read from its base for every key.

    Reads of keys it wrote itself are not recorded (they depend only on earlier
    reads); a prefix scan makes the recording unusable (``ranged``).
    """

    __slots__ = ("reads", "ranged")

    def __init__(self, base: Delta) -> None:
        super().__init__(base, parent=base)
        self.reads: dict[bytes, bytes | None] = {}
        self.ranged = False

    def get(self, key: bytes) -> bytes | None:
        writes = self.writes
        if key in writes:
            return writes[key]
        value = self.base.get(key)
        if key not in self.reads:
            self.reads[key] = value
        return value

    def iter_prefix(self, prefix: bytes, start: bytes | None = None, reverse: bool = False):
        self.ranged = True
        return super().iter_prefix(prefix, start, reverse)


_FIELDS = {name: BlockInfo.__dict__[name] for name in ("height", "time", "chain_id", "proposer", "params",
                                                        "market", "misbehavior")}   # BlockInfo's slot descriptors


class WatchedInfo(BlockInfo):
    """A real ``BlockInfo`` for the next block that notes whether the transaction read its height, time or proposer.

    A transaction that read them may answer differently in a later block, so its outcome is
    not replayed on RECHECK.  The values live in ``BlockInfo``'s own slots; the three watched
    fields are read through properties that set ``looked``.
    """

    __slots__ = ("looked",)

    def __init__(self, info: BlockInfo) -> None:   # not super().__init__: it would set through the properties
        for name, slot in _FIELDS.items():
            slot.__set__(self, getattr(info, name))
        object.__setattr__(self, "looked", False)

    @property   # type: ignore[override]
    def height(self) -> int:
        object.__setattr__(self, "looked", True)
        return _HEIGHT.__get__(self)

    @property   # type: ignore[override]
    def time(self) -> int:
        object.__setattr__(self, "looked", True)
        return _TIME.__get__(self)

    @property   # type: ignore[override]
    def proposer(self) -> bytes:
        object.__setattr__(self, "looked", True)
        return _PROPOSER.__get__(self)


_HEIGHT, _TIME, _PROPOSER = _FIELDS["height"], _FIELDS["time"], _FIELDS["proposer"]


@dataclass(frozen=True, slots=True)
class _Checked:
    outcome: TxOutcome
    chain_id: str
    params: tuple   # the block's (chain, market) parameters the outcome was computed with
    reads: dict
    writes: dict

    def holds(self, state: Delta, info: BlockInfo) -> bool:
        """True if running the transaction now would read exactly what it read before."""
        if info.chain_id != self.chain_id or (info.params, info.market) != self.params:
            return False
        get = state.get
        for key, value in self.reads.items():
            if get(key) != value:
                return False
        return True


class Rechecker:
    """Runs CheckTx on the check state, replaying a recorded outcome on RECHECK when it still holds."""

    def __init__(self, passed: block.PassedChecks | None = None) -> None:
        self.passed = passed   # the app's memo of passed stateless checks (``block.PassedChecks``)
        self._memo: dict[bytes, _Checked] = {}
        self.replayed = 0   # RECHECKs answered from the record (exposed for tests and metrics)
        self._watched: tuple[BlockInfo, WatchedInfo] | None = None   # the last block info and its watcher

    def _watch(self, info: BlockInfo) -> WatchedInfo:
        """A ``WatchedInfo`` of ``info`` with ``looked`` cleared (one per block info, reused: the app keeps its info)."""
        pair = self._watched
        if pair is None or pair[0] is not info:
            pair = self._watched = (info, WatchedInfo(info))
        watched = pair[1]
        object.__setattr__(watched, "looked", False)
        return watched

    def check(self, state: Delta, info: BlockInfo, raw: bytes, recheck: bool) -> TxOutcome:
        """Run (or, on RECHECK, replay) ``raw`` on ``state``; keep its writes only if it passes."""
        if recheck:
            checked = self._memo.get(raw)
            if checked is not None and checked.holds(state, info):
                state.merge(checked.writes)
                self.replayed += 1
                return checked.outcome
        self._memo.pop(raw, None)
        fork, watched = ReadRecorder(state), self._watch(info)
        outcome = block.execute_on(fork, watched, raw, self.passed)
        if not outcome.ok:
            return outcome
        if not fork.ranged and not watched.looked:
            self._remember(raw, _Checked(outcome, info.chain_id, (info.params, info.market), fork.reads, dict(fork.writes)))
        fork.apply()
        return outcome

    def forget(self, txs: list[bytes]) -> None:
        """Drop the records of transactions a block included (they leave the mempool)."""
        memo = self._memo
        for raw in txs:
            memo.pop(raw, None)

    def _remember(self, raw: bytes, checked: _Checked) -> None:
        if len(self._memo) >= MEMO_MAX:
            del self._memo[next(iter(self._memo))]
        self._memo[raw] = checked
