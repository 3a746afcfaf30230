"""Versioned state: every committed value kept by height, readable at any retained height.

Databases (beside ``state``, which holds only the latest values for fast execution):

* ``history``  ``esc(key) || 0x00 0x00 || u64be(height)`` -> ``0x01 || value`` (put) or ``0x00`` (delete);
  ``esc`` doubles every 0x00 byte as ``0x00 0xFF``, so the encoding keeps key order and
  prefix scans, and the ``0x00 0x00`` terminator ends the key unambiguously;
* ``changes``  ``u64be(height) || key`` -> ``b""``: which keys a height wrote (drives pruning);
* ``stale``    ``u64be(height) || node_key`` -> ``b""``: tree nodes a height replaced;
* ``roots``    ``u64be(height)`` -> encoded root ``Ref`` (``b""``: empty tree);
* ``nodes``    ``node_key`` -> stored tree node (``abci_app.chain.state.smt``).

Retention: heights ``oldest .. latest`` are readable; ``oldest`` is stored in ``meta``.
Pruning makes older heights unreadable first (moving ``oldest``) and then deletes
the rows nobody can read any more, at most ``budget`` rows per call, so one Commit
never does unbounded work.  Once ``oldest >= h``:

* for a key written at ``h``, versions before ``h`` are garbage, and so is the
  version at ``h`` itself when it is a delete;
* a node listed as stale at ``h`` is garbage;
* roots below ``oldest`` are garbage.

Functions here take LMDB transactions and database handles but do not import ``lmdb``.
"""

from __future__ import annotations

import struct
from typing import Callable, Iterator, Mapping, Protocol

from abci_app.chain.errors import LedgerError

_U64 = struct.Struct(">Q")
_TERM = b"\x00\x00"
_TOP = b"\xff" * 8
PUT, DELETE = b"\x01", b"\x00"

Db = object   # an opened LMDB database handle, passed through to the transaction as it is


class Cursor(Protocol):
    """The part of an LMDB cursor (``lmdb.Cursor``, bytes keys and values) read and pruned through here."""

    def first(self) -> bool: ...
    def last(self) -> bool: ...
    def prev(self) -> bool: ...
    def set_range(self, key: bytes) -> bool: ...
    def set_key(self, key: bytes) -> bool: ...
    def key(self) -> bytes: ...
    def value(self) -> bytes: ...
    def delete(self) -> bool: ...


class Txn(Protocol):
    """The part of an LMDB transaction (``lmdb.Transaction``) used here."""

    def cursor(self, db: Db = ...) -> Cursor: ...
    def delete(self, key: bytes, value: bytes = ..., db: Db = ...) -> bool: ...


class HeightNotAvailable(LedgerError):
    """A read asked for a height that was pruned or is not committed yet."""
    codespace = "query"
    code = 4


def escape(key: bytes) -> bytes:
    return key.replace(b"\x00", b"\x00\xff")


def unescape(escaped: bytes) -> bytes:
    return escaped.replace(b"\x00\xff", b"\x00")


def history_key(key: bytes, height: int) -> bytes:
    return escape(key) + _TERM + _U64.pack(height)


LMDB_MAX_KEY_BYTES = 511   # LMDB's compiled-in key limit (py-lmdb raises BadValsizeError above it)


def key_fits(key: bytes) -> bool:
    """Whether ``key`` can be a state key: not empty, and its history key fits LMDB's key limit."""
    return 0 < len(key) and len(key) + key.count(0) + len(_TERM) + _U64.size <= LMDB_MAX_KEY_BYTES


def history_row(key: bytes, value: bytes | None, height: int) -> tuple[bytes, bytes]:
    return history_key(key, height), DELETE if value is None else PUT + value


def height_key(height: int, suffix: bytes = b"") -> bytes:
    return _U64.pack(height) + suffix


class VersionedSnapshot:
    """A ``StateRead`` of the state as committed at ``height``, over one read transaction."""

    __slots__ = ("txn", "db", "height")

    def __init__(self, txn: Txn, history_db: Db, height: int) -> None:
        self.txn, self.db, self.height = txn, history_db, height

    def get(self, key: bytes) -> bytes | None:
        cursor = self.txn.cursor(db=self.db)
        head = escape(key) + _TERM
        return _value_at(cursor, head, self.height)

    def iter_prefix(self, prefix: bytes, start: bytes | None = None, reverse: bool = False) -> Iterator[tuple[bytes, bytes]]:
        cursor = self.txn.cursor(db=self.db)
        eprefix = escape(prefix)
        low = escape(start if start is not None and start > prefix and not reverse else prefix)
        if reverse:
            yield from self._backward(cursor, eprefix, start)
            return
        found = cursor.set_range(low)
        while found:
            head = bytes(cursor.key()[:-8])
            if not head.startswith(eprefix):
                return
            value = _value_at(cursor, head, self.height)
            if value is not None:
                yield unescape(head[:-2]), value
            found = cursor.set_range(head + _TOP)

    def _backward(self, cursor: Cursor, eprefix: bytes, start: bytes | None) -> Iterator[tuple[bytes, bytes]]:
        upper = escape(start) if start is not None else None
        upper = upper if upper is not None else _after(eprefix)
        found = cursor.set_range(upper) if upper is not None else False
        found = cursor.prev() if found else cursor.last()
        while found:
            head = bytes(cursor.key()[:-8])
            if not head.startswith(eprefix):
                return
            value = _value_at(cursor, head, self.height)
            if value is not None:
                yield unescape(head[:-2]), value
            found = cursor.set_range(head) and cursor.prev()


def _after(prefix: bytes) -> bytes | None:
    """Return the smallest byte string above every string starting with ``prefix``."""
    trimmed = prefix.rstrip(b"\xff")
    return trimmed[:-1] + bytes([trimmed[-1] + 1]) if trimmed else None


def _value_at(cursor: Cursor, head: bytes, height: int) -> bytes | None:
    """Return the value of the key with history prefix ``head`` at ``height`` (moves ``cursor``)."""
    found = cursor.set_range(head + _U64.pack(min(height + 1, (1 << 64) - 1)))
    found = cursor.prev() if found else cursor.last()
    if not found:
        return None
    key = cursor.key()
    if len(key) != len(head) + 8 or not key.startswith(head):
        return None
    raw = cursor.value()
    return bytes(raw[1:]) if raw[:1] == PUT else None


def prune(txn: Txn, dbs: Mapping[bytes, Db], oldest: int, budget: int) -> int:
    """Delete up to ``budget`` garbage rows for heights ``<= oldest``; return rows handled."""
    history, nodes = dbs[b"history"], dbs[b"nodes"]

    def drop_versions(height: int, key: bytes) -> None:
        head = escape(key) + _TERM
        cursor = txn.cursor(db=history)
        while cursor.set_range(head) and (version := _version_of(cursor.key(), head)) is not None \
                and version < height:
            cursor.delete()
        if cursor.set_key(head + _U64.pack(height)) and cursor.value()[:1] == DELETE:
            cursor.delete()

    done = _consume(txn, dbs[b"changes"], oldest, budget, drop_versions)
    done += _consume(txn, dbs[b"stale"], oldest, budget - done, lambda _h, key: txn.delete(key, db=nodes))
    cursor = txn.cursor(db=dbs[b"roots"])
    while done < budget and cursor.first() and _U64.unpack(cursor.key())[0] < oldest:
        cursor.delete()
        done += 1
    return done


def _version_of(history_key_: bytes, head: bytes) -> int | None:
    if len(history_key_) != len(head) + 8 or not history_key_.startswith(head):
        return None
    version: int = _U64.unpack(history_key_[-8:])[0]
    return version


def _consume(txn: Txn, db: Db, oldest: int, budget: int, handle: Callable[[int, bytes], object]) -> int:
    """Handle and delete rows ``u64be(h) || suffix`` with ``h <= oldest``, lowest first."""
    done, cursor = 0, txn.cursor(db=db)
    while done < budget and cursor.first():
        key = bytes(cursor.key())
        height = _U64.unpack(key[:8])[0]
        if height > oldest:
            break
        handle(height, key[8:])
        cursor.delete()
        done += 1
    return done
