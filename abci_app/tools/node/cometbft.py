"""The pinned CometBFT binary and its ``config.toml``.

Binary lookup order: ``$SAMEN_COMETBFT``, then ``<repo>/.tools/bin/cometbft`` (where
set-up installs the pinned release), then ``cometbft`` on ``PATH``.

``config.toml`` is edited in place, line by line, so CometBFT's comments stay; a
key that is not where we expect it is an error (a CometBFT upgrade that moves a
setting must not be silently ignored).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
TOOLS_BINARY = REPO_ROOT / ".tools" / "bin" / "cometbft"


class NodeError(Exception):
    """A node-level operation failed; the message is one line for the user."""


def find_binary() -> str:
    """Return the path of the cometbft binary to run, or raise ``NodeError``."""
    explicit = os.environ.get("SAMEN_COMETBFT")
    if explicit:
        if not os.access(explicit, os.X_OK):
            raise NodeError(f"SAMEN_COMETBFT={explicit} is not an executable file")
        return explicit
    if os.access(TOOLS_BINARY, os.X_OK):
        return str(TOOLS_BINARY)
    found = shutil.which("cometbft")
    if found:
        return found
    raise NodeError("cometbft not found: run `make setup`, or set SAMEN_COMETBFT to the binary")


def run_init(home: Path) -> None:
    """Run ``cometbft init --home home`` (keys, default config, genesis)."""
    result = subprocess.run([find_binary(), "init", "--home", str(home)], capture_output=True, text=True,
                            timeout=60)
    if result.returncode != 0:
        last = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        raise NodeError(f"cometbft init failed: {last[0]}")


_SECTION = re.compile(r"^\s*\[([^\]]+)\]\s*$")
_KEY = re.compile(r"^(\s*)([A-Za-z0-9_]+)(\s*=\s*)(.*)$")


def toml_value(value) -> str:
    """Render a Python bool/int/str as a TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def patch_toml(text: str, changes: dict[tuple[str, str], object]) -> str:
    """Replace ``(section, key)`` values (section ``""`` is the top level) in TOML text."""
    pending = dict(changes)
    section = ""
    out = []
    for line in text.splitlines():
        header = _SECTION.match(line)
        if header:
            section = header.group(1).strip()
        else:
            match = _KEY.match(line)
            if match and (section, match.group(2)) in pending:
                value = pending.pop((section, match.group(2)))
                line = f"{match.group(1)}{match.group(2)}{match.group(3)}{toml_value(value)}"
        out.append(line)
    if pending:
        missing = ", ".join(f"[{s}] {k}" if s else k for s, k in pending)
        raise NodeError(f"config.toml has no setting {missing} (unexpected CometBFT version?)")
    return "\n".join(out) + "\n"


def patch_config(path: Path, changes: dict[tuple[str, str], object]) -> None:
    path.write_text(patch_toml(path.read_text(), changes))


def read_setting(path: Path, section: str, key: str) -> str:
    """Return one setting of ``config.toml`` as a string (raise ``NodeError`` if absent)."""
    import tomllib

    doc = tomllib.loads(path.read_text())
    table = doc if not section else doc.get(section, {})
    if key not in table:
        raise NodeError(f"{path} has no setting [{section}] {key}")
    return str(table[key])
