"""Errors of the roles module: codespace ``roles`` (stable codes, frozen in ``tests/unit/test_errors.py``)."""

from __future__ import annotations

from abci_app.chain.errors import LedgerError


class RolesError(LedgerError):
    codespace = "roles"


class InvalidRole(RolesError):
    """A bad name, an unknown or not delegable action kind, a zero limit or period, an expiry in the past,
    or a holder who is not a member."""

    code = 2


class RoleNotFound(RolesError):
    code = 3


class NotTheHolder(RolesError):
    code = 4


class RoleExpired(RolesError):
    code = 5


class ActionNotAllowed(RolesError):
    """The action's kind is not among the role's kinds."""

    code = 6


class RoleBudgetExceeded(RolesError):
    """The action would spend more than is left of the role's budget for the current period."""

    code = 7
