"""Registry of transaction actions: the ``Action.kind`` oneof field name -> message dataclass.

Each domain package defines its messages in ``messages.py``; a new message is added
to ``proto/samen/v1/tx.proto`` (same field names), here, and to
``abci_app/components.py`` (its handlers).
"""

from __future__ import annotations

from abci_app.domain.accounts.messages import Transfer


class Action:
    """Type hint for a field that holds any action message (e.g. a proposal's actions)."""


ACTIONS: dict[str, type] = {
    "transfer": Transfer,
}
