"""Genesis ``app_state``: parse and validate it, then write it into a fresh overlay.

Format (the ``app_state`` object of CometBFT's ``genesis.json``)::

    {"params":   {"min_fee": 0, "max_tx_bytes": 32768, ...},   # optional, defaults apply
     "accounts": [{"address": "samen1...", "balance": 1000}, ...]}

Unknown sections or fields, invalid addresses, duplicate accounts, non-integer or
negative balances, and a total supply above 2^63-1 are errors: InitChain fails and
the node does not start (a bad genesis must never yield a running chain).
"""

from __future__ import annotations

import dataclasses
from typing import Iterable, Mapping, TypeGuard

from abci_app.chain import addresses, codec, components
from abci_app.chain.domain import params as params_mod
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.params import Params
from abci_app.chain.state.protocols import StateWrite


class GenesisError(ValueError):
    """The genesis ``app_state`` is invalid."""


SECTIONS = ("params", "accounts")


def load(app_state_bytes: bytes) -> dict[str, object]:
    """Parse ``app_state`` JSON (empty bytes mean an empty object)."""
    if not app_state_bytes.strip():
        return {}
    try:
        doc = codec.read_plain(app_state_bytes)
    except ValueError as exc:
        raise GenesisError(f"app_state is not valid JSON: {exc}") from None
    if not isinstance(doc, dict):
        raise GenesisError("app_state must be a JSON object")
    unknown = sorted(set(doc) - set(SECTIONS) - set(components.GENESIS))
    if unknown:
        raise GenesisError(f"unknown app_state sections: {', '.join(unknown)}")
    return doc


def parse_params(raw: Mapping[str, object] | None) -> Params:
    raw = raw or {}
    names = {f.name for f in dataclasses.fields(Params)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise GenesisError(f"unknown params: {', '.join(unknown)}")
    values: dict[str, int] = {}
    for name, value in raw.items():
        if not _is_uint(value):
            raise GenesisError(f"param {name} must be a non-negative integer, got {value!r}")
        values[name] = value
    return Params(**values)


def apply(state: StateWrite, doc: Mapping[str, object]) -> None:
    """Write the genesis state into ``state`` (an overlay)."""
    params_doc = doc.get("params") or None   # missing or empty: the defaults
    if params_doc is not None and not isinstance(params_doc, dict):
        raise GenesisError(f"params must be an object, got {params_doc!r}")
    params_mod.put(state, parse_params(params_doc))
    total = 0
    seen: set[str] = set()
    entries = doc.get("accounts", [])
    if not isinstance(entries, Iterable):
        raise GenesisError(f"accounts must be a list, got {entries!r}")
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) - {"address", "balance"}:
            raise GenesisError(f"account entries need exactly address and balance: {entry!r}")
        address, balance = entry.get("address"), entry.get("balance")
        if not isinstance(address, str) or not addresses.is_valid(address):
            raise GenesisError(f"invalid genesis address {address!r}")
        if not _is_uint(balance):
            raise GenesisError(f"balance of {address} must be a non-negative integer")
        if address in seen:
            raise GenesisError(f"duplicate genesis account {address}")
        seen.add(address)
        accounts.put(state, address, accounts.Account(balance, 0))
        total += balance
    if total > accounts.MAX_AMOUNT:
        raise GenesisError("total supply exceeds 2^63-1")
    accounts.set_supply(state, total)
    for name, init in components.GENESIS.items():
        init(state, doc.get(name))


def _is_uint(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= accounts.MAX_AMOUNT
