"""What every ``samen`` command shares: options, output, errors and exit codes.

Output contract: a command's result goes to stdout, as JSON with ``-o json`` or as
``key: value`` lines with ``-o text``; progress, prompts and logs go to stderr.
A failure is one line ``error: ...`` on stderr and a non-zero exit code:

====  =========================================================
0     success
1     error (bad input, node unreachable, key problems, ...)
2     usage error (unknown option, missing argument, a flag value the CLI refuses: ``BadValue``)
3     the chain rejected the transaction (codespace/code/log shown)
4     timed out waiting (for example for a transaction's inclusion)
5     ``--verify``: the answer does not match what the validators signed (reason shown)
====  =========================================================
"""

from __future__ import annotations

import enum
import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
# Typer 0.29 vendors Click as ``typer._click``; its exceptions are the ones Typer raises.
from typer._click import exceptions as click_exc

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_REJECTED = 3
EXIT_TIMEOUT = 4
EXIT_UNVERIFIED = 5
DEFAULT_HOME = Path("~/.samen")
DEFAULT_NODE = "http://127.0.0.1:26657"   # = abci_app.tools.client.rpc.DEFAULT_NODE (not imported: a fast start)


class CliError(click_exc.ClickException):
    """A failure reported as one ``error: ...`` line on stderr with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = EXIT_ERROR) -> None:
        super().__init__(" ".join(str(message).split()))
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        typer.echo(f"error: {self.message}", file=file or sys.stderr)


class BadValue(CliError):
    """A flag value the CLI refuses before signing: a usage error (exit 2) that names the flag."""

    def __init__(self, flag: str, message: str) -> None:
        super().__init__(f"{flag}: {message}" if flag else message, EXIT_USAGE)


class Output(str, enum.Enum):
    json = "json"
    text = "text"


OutputOpt = Annotated[Output, typer.Option("--output", "-o", help="Result format on stdout.")]
HomeOpt = Annotated[Path, typer.Option("--home", envvar="SAMEN_HOME", help="Node home directory.")]
NodeOpt = Annotated[str, typer.Option("--node", envvar="SAMEN_NODE", help="CometBFT RPC address.")]
KeyringDirOpt = Annotated[Path | None, typer.Option("--keyring-dir", envvar="SAMEN_KEYRING_DIR",
                                                    help="Keyring directory (default: <home>/keyring).")]


def home_path(home: Path) -> Path:
    return home.expanduser()


def keyring_path(home: Path, keyring_dir: Path | None) -> Path:
    return (keyring_dir or home_path(home) / "keyring").expanduser()


def log(message: str) -> None:
    """Write a progress or log line to stderr."""
    typer.echo(message, file=sys.stderr)


def emit(result: Any, output: Output) -> None:
    """Write a command's result to stdout in the chosen format."""
    if output is Output.json:
        typer.echo(json.dumps(result, indent=2, sort_keys=False))
        return
    for line in text_lines(result):
        typer.echo(line)


def text_lines(value: Any, indent: str = "") -> list[str]:
    """Render plain data as readable ``key: value`` lines."""
    if isinstance(value, dict):
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{indent}{key}:")
                lines.extend(text_lines(item, indent + "  "))
            else:
                lines.append(f"{indent}{key}: {_scalar(item)}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            sub = text_lines(item, indent + "  ")
            lines.append(f"{indent}- {sub[0].strip()}" if sub else f"{indent}-")
            lines.extend(sub[1:])
        return lines
    return [f"{indent}{_scalar(value)}"]


def _scalar(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "-"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def passphrase(prompt: str, confirm: bool = False) -> str:
    """Return a passphrase from ``$SAMEN_PASSPHRASE`` or a hidden prompt on stderr."""
    from_env = os.environ.get("SAMEN_PASSPHRASE")
    if from_env is not None:
        return from_env
    return typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True)
