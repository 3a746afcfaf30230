"""Typed state of the upgrades module (keys under ``upgrade/``).

* ``upgrade/plan``           canonical JSON ``Plan``: the one pending upgrade (absent: none);
* ``upgrade/app_version``    decimal: the app version the chain runs (absent: 1, the first version);
* ``upgrade/done/<name>``    decimal: the height at which upgrade ``name`` was applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain import codec
from abci_app.chain.state.protocols import StateRead, StateWrite

PLAN = b"upgrade/plan"
APP_VERSION = b"upgrade/app_version"
DONE_PREFIX = b"upgrade/done/"
FIRST_APP_VERSION = 1


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    height: int
    info: str = ""


def plan(state: StateRead) -> Plan | None:
    raw = state.get(PLAN)
    return None if raw is None else codec.decode_value(Plan, raw)


def put_plan(state: StateWrite, value: Plan) -> None:
    state.put(PLAN, codec.encode_value(value))


def clear_plan(state: StateWrite) -> None:
    state.delete(PLAN)


def app_version(state: StateRead) -> int:
    raw = state.get(APP_VERSION)
    return FIRST_APP_VERSION if raw is None else int(raw)


def set_app_version(state: StateWrite, version: int) -> None:
    state.put(APP_VERSION, b"%d" % version)


def applied_height(state: StateRead, name: str) -> int | None:
    raw = state.get(DONE_PREFIX + name.encode())
    return None if raw is None else int(raw)


def mark_applied(state: StateWrite, name: str, height: int) -> None:
    state.put(DONE_PREFIX + name.encode(), b"%d" % height)


def applied(state: StateRead) -> list[tuple[str, int]]:
    """Every applied upgrade ``(name, height)``, in name order."""
    start = len(DONE_PREFIX)
    return [(bytes(k[start:]).decode(), int(v)) for k, v in state.iter_prefix(DONE_PREFIX)]
