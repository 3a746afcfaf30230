"""Upgrade supervision for ``samen start``, the way Cosmovisor does it, for a Python application.

Layout under the node home:

* ``versions/<NAME>/`` -- the release that knows upgrade ``NAME``: a virtualenv
  (``python -m venv H/versions/NAME && H/versions/NAME/bin/pip install samen==...``),
  so its ``bin/python`` runs ``-m abci_app`` and ``-m graphql_api`` of that release;
* ``versions/current`` -- the name of the version in use (absent: the Python that
  runs ``samen start``, the genesis version);
* ``data/upgrade-log.jsonl`` -- what the supervisor did, one JSON object a line.

When the app stops for an upgrade (exit status 3 and ``data/upgrade-info.json``,
``abci_app.adapter.upgrade_info``), ``after_halt`` switches to ``versions/NAME``
if it is installed (``samen start`` then starts the group again with it), and
otherwise tells the operator where to install it; the node stays stopped.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from abci_app.adapter import upgrade_info

LOG = "data/upgrade-log.jsonl"


@dataclass(frozen=True, slots=True)
class Decision:
    switched: bool
    message: str


def python_of(home: Path, name: str) -> Path:
    return home / "versions" / name / "bin" / "python"


def current_name(home: Path) -> str:
    path = home / "versions" / "current"
    return path.read_text().strip() if path.exists() else ""


def current_python(home: Path) -> str:
    """The interpreter of the version in use (``sys.executable`` for the genesis version)."""
    name = current_name(home)
    if name and python_of(home, name).exists():
        return str(python_of(home, name))
    return sys.executable


def log_event(home: Path, event: str, **fields: object) -> None:
    path = home / LOG
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        out.write(json.dumps({"ts": round(time.time(), 3), "event": event, **fields}, sort_keys=True) + "\n")


def after_halt(home: Path) -> Decision | None:
    """After the app stopped for an upgrade: switch to the installed version, or say what is missing.

    Returns None when the home records no upgrade stop (``upgrade-info.json`` without a name).
    """
    info = upgrade_info.read(home) or {}
    name, height = info.get("name"), info.get("height")
    if not isinstance(name, str) or not name:
        return None
    target = python_of(home, name)
    if name != current_name(home) and target.exists():
        (home / "versions" / "current").write_text(name + "\n")
        log_event(home, "switch", name=name, height=height, python=str(target))
        return Decision(True, f"upgrade {name} at height {height}: switched to {target}")
    log_event(home, "missing", name=name, height=height, expected=str(target))
    return Decision(False, f"upgrade {name} needed at height {height}: install the release that knows it as a "
                           f"virtualenv at {home / 'versions' / name} and run samen start again")
