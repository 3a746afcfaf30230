"""``<home>/data/upgrade-info.json``: what a node stopped for, for operators and ``samen start``.

Written when the app stops because the chain needs an upgrade it does not know
(``UpgradeNeeded``): ``{"name", "height", "info", "message"}``, the shape
Cosmovisor's ``upgrade-info.json`` has (name, height, info).  For other software
mismatches (``IncompatibleSoftware``) only ``message`` is set.  The file is
rewritten at every such stop and never removed by the app: it is a record of the
last stop for the operator (and for a supervisor that switches software).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

EXIT_CODE = 3    # the app's exit status when it stops for an upgrade
FILE = "data/upgrade-info.json"


def path(home: Path) -> Path:
    return home / FILE


def write(home: Path, halt: Exception) -> Path:
    """Write the file atomically (temporary file, then rename) and return its path."""
    plan = getattr(halt, "plan", None)
    doc = {"message": str(halt)}
    if plan is not None:
        doc.update(name=plan.name, height=plan.height, info=plan.info)
    target = path(home)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n")
    os.replace(temporary, target)
    return target


def read(home: Path) -> dict | None:
    """The recorded stop, or None when there is no (readable) file."""
    try:
        doc = json.loads(path(home).read_text())
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None
