"""Every line ``samen start`` writes is one JSON object (docs/operations.md, "Logs").

The shape is the app's (``abci_app.adapter.logs``): ``{"ts", "level", "component",
"logger", "msg"}`` plus whatever fields the line carried.  ``own`` makes the
supervisor's lines (component ``start``); ``structured`` wraps a line a child printed:

* a JSON object (the app's and GraphQL's logs; CometBFT's, which ``samen start`` runs
  with ``CMT_LOG_FORMAT=json``) keeps its fields; ``component`` becomes the child's name;
  CometBFT's ``_msg`` and ``module`` become ``msg`` and ``logger`` (``cometbft.<module>``),
  a ``msg`` field of its own becomes ``detail``, and its RFC 3339 ``ts`` becomes seconds;
* a line of the app's ``[log] format = "text"`` keeps its level and logger;
* any other line (a traceback, a Go panic, the upgrade halt line) becomes
  ``{"level": "error", "msg": line, "raw": true}``: the children log structured, so
  what they print outside their logger is the output of a failure.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime

START = "start"
TEXT_LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) (\S+): (.*)$")
RFC3339 = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def own(msg: str, level: str = "info", **fields) -> str:
    """A line of the supervisor itself."""
    return json.dumps({"ts": round(time.time(), 3), "level": level, "component": START,
                       "logger": "samen.start", "msg": msg, **fields}, ensure_ascii=False)


def structured(component: str, line: str) -> str:
    """The JSON line for ``line``, printed by child ``component`` (see the module doc)."""
    doc = _parsed(line)
    if doc is None:
        text = TEXT_LINE.match(line)
        doc = ({"level": text[1].lower(), "logger": text[2], "msg": text[3]} if text
               else {"level": "error", "logger": component, "msg": line, "raw": True})
    if "_msg" in doc:   # CometBFT's JSON logger: its message is _msg, and msg may be one of its fields
        detail = doc.pop("msg", None)
        doc["msg"] = doc.pop("_msg")
        if detail is not None:
            doc["detail"] = detail
        doc.setdefault("logger", f"cometbft.{doc.pop('module', 'main')}")
    ts = _seconds(doc.get("ts"))
    out = {"ts": ts, "level": str(doc.pop("level", "info")).lower(), "component": component,
           "logger": doc.pop("logger", component), "msg": doc.pop("msg", "")}
    doc.pop("ts", None)
    doc.pop("component", None)
    return json.dumps({**out, **doc}, ensure_ascii=False)


def _parsed(line: str) -> dict | None:
    if not line.startswith("{"):
        return None
    try:
        doc = json.loads(line)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _seconds(value) -> float:
    """A child's timestamp in seconds (a number, or RFC 3339 text); the time of reading otherwise."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    match = RFC3339.match(value) if isinstance(value, str) else None
    if match is None:
        return round(time.time(), 3)
    fraction = (match[2] or ".0")[:7]   # Python parses at most microseconds
    zone = "+00:00" if match[3] == "Z" else match[3]
    return round(datetime.fromisoformat(match[1] + fraction + zone).timestamp(), 3)
