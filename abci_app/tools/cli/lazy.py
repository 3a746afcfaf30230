"""Command groups that import a command's module only when that command runs (a fast ``samen``).

A ``LazyGroup`` subclass lists its commands in ``LAZY``: name -> (module, attribute,
one-line help).  ``samen --help`` prints the names and help lines without importing
anything; ``samen query account`` imports ``abci_app.tools.cli.query`` and nothing of the
transaction side.  The attribute is a ``typer.Typer`` (a sub-group), a function
returning one, or a plain command function (wrapped as a single command).
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

import typer
from typer.core import TyperGroup

Entry = tuple[str, str, str]


class LazyGroup(TyperGroup):
    """A Typer group whose commands come from ``LAZY`` and are built on first use."""

    LAZY: dict[str, Entry] = {}

    def list_commands(self, ctx: Any) -> list[str]:
        return list(self.LAZY) + [n for n in super().list_commands(ctx) if n not in self.LAZY]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in self.LAZY:
            return load(cmd_name, *self.LAZY[cmd_name][:2])
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """List the commands with their one-line help, loading none of them."""
        rows = [(name, entry[2]) for name, entry in self.LAZY.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@lru_cache(maxsize=None)
def load(name: str, module: str, attribute: str) -> Any:
    """Import ``module`` and return the Click command ``name`` built from its ``attribute``."""
    target = getattr(importlib.import_module(module), attribute)
    if not isinstance(target, typer.Typer):
        made = target() if getattr(target, "__lazy_factory__", False) else None
        if isinstance(made, typer.Typer):
            target = made
        else:
            single = typer.Typer(add_completion=False)
            single.command(name)(target)
            target = single
    command = typer.main.get_command(target)
    command.name = name
    return command


def factory(function: Any) -> Any:
    """Mark ``function`` as returning the ``typer.Typer`` of a group (rather than being a command)."""
    function.__lazy_factory__ = True
    return function
