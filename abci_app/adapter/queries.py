"""The ABCI ``Query`` router: every path, strict argument parsing, and never an exception.

Paths (``data`` is read only by ``/store``):

* ``/account/<address>``, ``/params``, ``/supply``;
* ``/store`` with ``data`` = a raw state key (the value is the raw stored bytes);
* the domain modules' paths, by first segment (``components.QUERIES``: ``/org``,
  ``/proposal``, ``/request``, ...; each module documents its own).

With ``prove``, ``/account`` and ``/store`` answers carry a ``samen:smt`` proof of
the state key (inclusion, or absence with code NotFound) under the app hash of
``height`` (0: the latest).  A height that is pruned or not committed yet is a
``HeightNotAvailable`` error (``query/4``).

Contract: anyone who reaches CometBFT's RPC can send any path, data and height, so
``answer`` never raises.  A malformed path or argument is ``UnknownQuery``
(``query/2``, see ``abci_app.chain.query_args``); anything unexpected while reading
(a bug, LMDB out of reader slots, ...) is ``QueryFailed`` (``query/60``), logged in
one line without a traceback (a client could otherwise fill the log at will).
Queries only read, so a failed one leaves nothing behind and the node goes on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from abci_app.chain import addresses, codec, components
from abci_app.chain.domain import params as params_mod
from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.errors import LedgerError, NotFound, QueryFailed, UnknownQuery
from abci_app.chain.query_args import split_path, state_key
from abci_app.chain.state import proofs

log = logging.getLogger("samen.query")


@dataclass(frozen=True, slots=True)
class QueryResult:
    code: int = 0
    codespace: str = ""
    log: str = ""
    value: bytes = b""
    height: int = 0
    key: bytes = b""
    proof: bytes = b""   # ``samen:smt`` proof of ``key`` -> ``value`` under the app hash of ``height``


def answer(store, latest_state, latest: int, path: str, data: bytes, height: int = 0,
           prove: bool = False) -> QueryResult:
    """Answer one query (see the module contract); ``latest_state`` is the committed state at ``latest``."""
    try:
        return _answer(store, latest_state, latest, path, bytes(data), height, prove)
    except LedgerError as error:
        return failure(error, height or latest)
    except Exception as exc:   # noqa: BLE001 -- a read must never halt the node (module contract)
        log.warning("query %.80r failed: %s: %.200s", path, type(exc).__name__, exc)
        return failure(QueryFailed(f"query failed on this node ({type(exc).__name__}); try again or ask "
                                   "another node"), height or latest)


def failure(error: LedgerError, height: int = 0) -> QueryResult:
    """Return the answer for a rejected query."""
    return QueryResult(error.code, error.codespace, error.message, b"", max(height, 0))


def _answer(store, latest_state, latest: int, path: str, data: bytes, height: int, prove: bool) -> QueryResult:
    parts = split_path(path)
    if height in (0, latest) and not prove:
        return _read(latest_state, parts, data, latest)
    height = height or latest
    txn = store.read_txn()
    try:
        result = _read(store.state_at(txn, height), parts, data, height)
        if prove:
            key = proof_key(parts, data)
            if not key:
                raise UnknownQuery(f"no proof available for path /{'/'.join(parts)}")
            proof = proofs.prove(store.nodes(txn), store.root_at(txn, height), key)
            result = QueryResult(result.code, result.codespace, result.log, result.value, height, key, proof.encode())
        return result
    finally:
        txn.abort()


def _read(state, parts: list[str], data: bytes, height: int) -> QueryResult:
    """Read one answer; a ledger error becomes its code (with the proof key, for a proven absence)."""
    try:
        value, key = _value(state, parts, data)
    except LedgerError as error:
        result = failure(error, height)
        return QueryResult(result.code, result.codespace, result.log, b"", height, proof_key(parts, data))
    return QueryResult(value=value, height=height, key=key or b"")


def _value(state, parts: list[str], data: bytes) -> tuple[bytes, bytes | None]:
    """Return the answer's value and the state key it is read from (``None``: derived)."""
    if parts[0] == "account" and len(parts) == 2:
        address = addresses.validate(parts[1])
        raw = state.get(account_keys.account(address))
        if raw is None:
            raise NotFound(f"account {address} not found")
        return bytes(raw), account_keys.account(address)
    if parts == ["store"]:
        key = state_key(data)
        raw = state.get(key)
        if raw is None:
            raise NotFound(f"state key {key.hex()} not found")
        return bytes(raw), key
    if parts == ["params"]:
        return codec.encode_value(params_mod.get(state)), None
    if parts == ["supply"]:
        return codec.encode_plain({"supply": accounts.supply(state)}), None
    if parts[0] in components.QUERIES:   # domain modules' paths (/org, /proposal, ...)
        return components.QUERIES[parts[0]](state, parts[1:]), None
    raise UnknownQuery(f"unknown query path /{'/'.join(parts)[:80]}")


def proof_key(parts: list[str], data: bytes) -> bytes:
    """Return the state key a provable path reads, or ``b""`` (also for a key LMDB cannot hold)."""
    if parts[0] == "account" and len(parts) == 2 and addresses.is_valid(parts[1]):
        return account_keys.account(parts[1])
    if parts == ["store"]:
        try:
            return state_key(data)
        except UnknownQuery:
            return b""
    return b""
