"""Read views over one LMDB read transaction: the state snapshot, the tree nodes, prefix walks, page counts.

Split from ``abci_app.adapter.storage.store`` (which re-exports these names and alone opens the
environment); everything here reads through a transaction its caller began and owns.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Callable, Iterator

from abci_app.chain.state.delta import prefix_end

if TYPE_CHECKING:
    import lmdb


class Snapshot:
    """A ``StateRead`` over one LMDB read transaction of the ``state`` database."""

    __slots__ = ("txn", "_db")

    def __init__(self, txn: lmdb.Transaction, db) -> None:
        self.txn = txn
        self._db = db

    def get(self, key: bytes) -> bytes | None:
        return self.txn.get(key, db=self._db)

    def iter_prefix(self, prefix: bytes, start: bytes | None = None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        yield from iter_prefix(self.txn, self._db, prefix, start, reverse)


def iter_prefix(txn: lmdb.Transaction, db, prefix: bytes, start: bytes | None, reverse: bool) -> Iterator[tuple[bytes, bytes]]:
    """Yield ``(key, value)`` under ``prefix`` in key order from ``start`` on."""
    cursor = txn.cursor(db=db)
    if not reverse:
        if not cursor.set_range(start if start is not None and start > prefix else prefix):
            return
        for key, value in cursor:
            if not key.startswith(prefix):
                return
            yield key, value
        return
    upper = start if start is not None else prefix_end(prefix)
    if upper is None:
        positioned = cursor.last()
    elif cursor.set_range(upper):  # first key >= upper; the one before is the last < upper
        positioned = cursor.prev()
    else:
        positioned = cursor.last()
    while positioned:
        key = cursor.key()
        if not key.startswith(prefix):
            return
        yield key, cursor.value()
        positioned = cursor.prev()


class NodeReader:
    """A ``smt.NodeRead`` over the ``nodes`` database in one read transaction.

    ``get(node_key)`` is LMDB's own ``get`` bound to the database (no Python frame per
    node read: the state tree reads a few thousand nodes per block).
    """

    __slots__ = ("txn", "get")

    def __init__(self, txn: lmdb.Transaction, db) -> None:
        self.txn = txn
        self.get: Callable[[bytes], bytes | None] = functools.partial(txn.get, db=db)


def pages_in_use(stat: dict) -> int:
    """Pages one LMDB database (its ``stat()``) occupies: branch, leaf and overflow."""
    return stat["branch_pages"] + stat["leaf_pages"] + stat["overflow_pages"]
