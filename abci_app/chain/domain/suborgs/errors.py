"""Errors of the sub-organizations module: codespace ``suborgs`` (stable codes, frozen in ``tests/unit/test_errors.py``)."""

from __future__ import annotations

from abci_app.chain.errors import LedgerError


class SubOrgsError(LedgerError):
    codespace = "suborgs"


class NotASubOrganization(SubOrgsError):
    code = 2


class NotTheParent(SubOrgsError):
    code = 3


class InvalidSubOrganization(SubOrgsError):
    """A veto window shorter than the parent's decision time or longer than 366 days, or a budget out of range."""

    code = 4


class VetoClosed(SubOrgsError):
    """The proposal already ran, failed, was rejected, withdrawn or vetoed, or its veto window is over."""

    code = 5
