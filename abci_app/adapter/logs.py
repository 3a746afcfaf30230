"""One log format for Samen's processes: JSON lines on stderr (docs/operations.md, "Logs").

Each record is one line ``{"ts", "level", "component", "logger", "msg"}`` (plus ``exc``
with the traceback when there is one); ``ts`` is seconds since the epoch with
millisecond precision, ``level`` lower case, ``component`` the process (``abci``,
``graphql``).  ``[log] format = "text"`` in app.toml gives the older human format.
"""

from __future__ import annotations

import json
import logging
import sys

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class JsonLines(logging.Formatter):
    """Format a record as one JSON object (see the module doc)."""

    def __init__(self, component: str) -> None:
        super().__init__()
        self.component = component

    def format(self, record: logging.LogRecord) -> str:
        doc = {"ts": round(record.created, 3), "level": record.levelname.lower(), "component": self.component,
               "logger": record.name, "msg": record.getMessage()}
        if record.exc_info:
            doc["exc"] = self.formatException(record.exc_info)
        return json.dumps(doc, ensure_ascii=False)


def configure(component: str, level: str = "info", fmt: str = "json") -> None:
    """Send every log record of this process to stderr in ``fmt`` (``json`` or ``text``) at ``level``."""
    if fmt not in ("json", "text"):
        raise ValueError(f"[log] format must be json or text, got {fmt!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonLines(component) if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
