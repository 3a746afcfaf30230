"""A message's stateless check for the CLI, loading only the handler module its registry line names.

``samen tx`` checks a message locally before it signs (``validate.checked``).  Importing the
router (``abci_app.chain.components``) would load every handler of every package; instead this
reads the one registry line of the message's kind from ``components.py``'s source (its
``ROUTER = Router(KINDS, {...})`` table and the ``from ... import ... as`` lines that name the
handler modules) and imports that module alone.  A phase registered as ``routed(...)`` needs
the whole router (a proposal's or a role's inner actions), so for those kinds the router is
loaded as before.  ``tests/cli/test_stateless_lookup.py`` checks that every kind resolves to
the very function the router holds.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

REGISTRY = "abci_app.chain.components"


@lru_cache(maxsize=1)
def _lines() -> tuple[dict[str, ast.expr], dict[str, str]]:
    """Return (kind -> its stateless phase's expression, import alias -> module) from the registry's source."""
    spec = importlib.util.find_spec(REGISTRY)
    assert spec is not None and spec.origin is not None
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    phases: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            for name in node.names:
                aliases[name.asname or name.name] = f"{node.module}.{name.name}"
        elif (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "ROUTER" for t in node.targets)
              and isinstance(node.value, ast.Call) and len(node.value.args) == 2
              and isinstance(node.value.args[1], ast.Dict)):
            table = node.value.args[1]
            for key, value in zip(table.keys, table.values):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Tuple) and value.elts:
                    phases[key.value] = value.elts[0]
    return phases, aliases


def stateless_check(kind: str) -> Callable[..., Any]:
    """Return the ``check_stateless`` of the message kind ``kind`` (an ``Action`` oneof field name)."""
    phases, aliases = _lines()
    expr = phases.get(kind)
    if (isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name) and expr.value.id in aliases):
        check: Callable[..., Any] = getattr(importlib.import_module(aliases[expr.value.id]), expr.attr)
        return check
    from abci_app.chain import components, messages   # a routed phase (or an unexpected line): the whole router
    return components.ROUTER[messages.KINDS[kind]][0]
