"""Messages of the roles module (proto fields 125-127 of ``Action``)."""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain.context import Action


@dataclass(frozen=True, slots=True)
class GrantRole:
    """Organization only (by proposal): let ``holder`` take ``kinds`` of action for it, spending at most ``limit``
    per ``period`` seconds, until ``expires_at``.  Replaces a role of the same name (spending starts over)."""

    org_id: int
    name: str
    holder: str
    kinds: tuple[str, ...]     # ``Action`` field names, e.g. "accept_offer", "transfer"
    limit: int
    period: int
    expires_at: int


@dataclass(frozen=True, slots=True)
class RevokeRole:
    """Organization only (by proposal): end a role now."""

    org_id: int
    name: str


@dataclass(frozen=True, slots=True)
class ActAsRole:
    """The holder: run ``action`` in the organization's name, without a vote, within the role's kinds and budget."""

    org_id: int
    name: str
    action: Action
