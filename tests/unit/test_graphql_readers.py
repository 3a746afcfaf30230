"""``graphql_api/readers.py``: a closed reader holds no LMDB slot, and no generator opens one itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from abci_app.adapter.storage.store import Store
from graphql_api import readers

PACKAGE = Path(__file__).resolve().parents[2] / "graphql_api"
OPENERS = {"read", "transaction", "begin", "read_txn"}


def _own_nodes(function: ast.AST):
    """Yield the nodes of ``function``'s body, not those of functions defined inside it."""
    stack = list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _opens_a_transaction(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
    return name in OPENERS


def test_no_async_generator_in_the_server_opens_a_read_transaction_in_its_own_frame():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for function in ast.walk(ast.parse(path.read_text())):
            if not isinstance(function, ast.AsyncFunctionDef):
                continue
            body = list(_own_nodes(function))
            if not any(isinstance(n, (ast.Yield, ast.YieldFrom)) for n in body):
                continue
            offenders += [f"{path.name}:{n.lineno} {function.name}" for n in body if _opens_a_transaction(n)]
    assert offenders == [], "async generators must read through readers.run: " + ", ".join(offenders)


def _slots(store: Store) -> int:
    return len(store.env.readers().strip().splitlines()) - 1


def test_a_closed_reader_holds_no_slot_even_while_referenced_and_fails_loudly_if_used(tmp_path):
    store = Store(tmp_path / "db")
    try:
        baseline = _slots(store)
        kept = []
        for _ in range(5):
            with readers.transaction(store) as reader:
                assert reader.committed.height == 0
            kept.append(reader)
        assert _slots(store) - baseline <= 1
        with pytest.raises(RuntimeError, match="used after it was closed"):
            kept[0].state.get(b"k")
        kept[0].close()      # closing twice is harmless
    finally:
        store.close()


def test_run_returns_only_the_result_and_closes_the_transaction_first(tmp_path):
    store = Store(tmp_path / "db")
    try:
        seen = []
        height = readers.run(store, lambda r, extra: seen.append(r) or r.committed.height + extra, 7)
        assert height == 7
        with pytest.raises(RuntimeError):
            seen[0].txn.get(b"k")
    finally:
        store.close()
