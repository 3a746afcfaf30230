"""Errors asserted by their class: ``assert_rejected(outcome, errors.InsufficientFunds)``.

Tests name the ``LedgerError`` class they expect, never its ``(codespace, code)`` numbers;
the one table that pins every class to its stable pair is ``tests/unit/test_errors.py``.

* ``pair(cls)``: the class's ``(codespace, code)``;
* ``error_name(codespace, code)``: the name of the class registered for a pair (``"ok"`` for
  ``("", 0)``, ``"unknown"`` when none is);
* ``rejection(x)``: the pair ``x`` carries: a ``TxOutcome``/query answer (``codespace``,
  ``code``), a stored proposal or plan result (``result_codespace``, ``result_code``) or an
  RPC answer dict (``"codespace"``, ``"code"``);
* ``assert_rejected(x, cls)``: ``x`` was rejected with ``cls``; the failure names both
  classes and shows ``x``'s log.
"""

from __future__ import annotations

import functools

from abci_app.chain.errors import LedgerError, all_error_classes


def pair(cls: type[LedgerError]) -> tuple[str, int]:
    return cls.codespace, cls.code


@functools.cache
def _names() -> dict[tuple[str, int], str]:
    import abci_app.adapter.app  # noqa: F401  (imports every domain package: all error classes exist)

    return {pair(cls): cls.__name__ for cls in all_error_classes()}


def error_name(codespace: str, code: int) -> str:
    if (codespace, code) in (("", 0), (None, 0)):
        return "ok"
    return _names().get((codespace, code), "unknown")


def rejection(x) -> tuple[str, int]:
    if isinstance(x, dict):
        return x.get("codespace", ""), int(x.get("code", 0))
    if hasattr(x, "result_code"):
        return x.result_codespace, x.result_code
    return x.codespace, x.code


def _log(x) -> str:
    return x.get("log", "") if isinstance(x, dict) else getattr(x, "log", "") or getattr(x, "result_log", "")


def assert_rejected(x, cls: type[LedgerError]) -> None:
    got = rejection(x)
    assert got == pair(cls), f"expected {cls.__name__} {pair(cls)}, got {error_name(*got)} {got}: {_log(x)!r}"
