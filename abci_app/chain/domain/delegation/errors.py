"""Errors of the delegation module: codespace ``delegation`` (stable codes, frozen in ``tests/unit/test_errors.py``)."""

from __future__ import annotations

from abci_app.chain.errors import LedgerError


class DelegationError(LedgerError):
    codespace = "delegation"


class InvalidDelegation(DelegationError):
    """Delegating to oneself, to a non-member, with a malformed tag, or beyond ``MAX_PER_MEMBER`` tags."""

    code = 2


class DelegationCycle(DelegationError):
    """Following the delegate's own delegation for the same tag leads back to the signer."""

    code = 3


class NoDelegation(DelegationError):
    code = 4
