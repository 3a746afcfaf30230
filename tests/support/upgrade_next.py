""""The next version" of Samen for the upgrade tests: upgrade ``next`` and its migration, as a new build would ship them.

It raises the app version one above this software's (``APP_VERSION``: 3 while the
software runs version 2).  The state format it changes: a validator's power record
``val/s/<pub_key>``, stored as decimal text (``b"10"``), becomes an 8-byte big-endian
integer.  The next version's code reads and writes the new format (``encode_power`` and
``decode_power`` below replace the current ones in ``abci_app.chain.domain.validators.state``).

``install(setattr)`` registers the upgrade and swaps the code in; the upgrade tests
call it with pytest's ``monkeypatch.setattr`` (undone after the test), and the node
build loads ``tests.support.upgrade_next_plugin`` through ``SAMEN_UPGRADE_PLUGINS``.
"""

from __future__ import annotations

import struct
from typing import Callable

from abci_app.chain.domain.upgrades import registry
from abci_app.chain.domain.validators import keys, state as vals

NAME = "next"
APP_VERSION = registry.software_app_version() + 1
_U64 = struct.Struct(">Q")


def migrate(state, height: int) -> None:
    """Rewrite every validator power record from decimal text to u64 big-endian (idempotence not needed: runs once)."""
    for key, raw in list(state.iter_prefix(keys.SET_PREFIX)):
        state.put(bytes(key), encode_power(int(raw)))


def encode_power(power: int) -> bytes:
    return _U64.pack(power)


def decode_power(raw: bytes) -> int:
    return _U64.unpack(bytes(raw))[0]


UPGRADE = registry.Upgrade(NAME, APP_VERSION, migrate)


def install(set_attribute: Callable[[object, str, object], None] = setattr) -> None:
    """Register upgrade ``next`` and replace the current validator-record code with the next version's."""
    set_attribute(registry, "KNOWN", {**registry.KNOWN, NAME: UPGRADE})
    for name, function in (("encode_power", encode_power), ("decode_power", decode_power)):
        set_attribute(vals, name, function)
