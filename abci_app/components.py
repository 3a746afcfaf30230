"""The state machine's parts in execution order: genesis sections, handlers, block hooks.

``HANDLERS`` maps each message dataclass to its two phases:
``check_stateless(msg, ctx)`` (pure) and ``check_and_execute(state, block, ctx, msg)``
(returns typed events).  ``END_BLOCK`` hooks run after the block's transactions
(time-driven transitions: expiries, automatic execution) and must not raise
``LedgerError``.
"""

from __future__ import annotations

from abci_app.domain.accounts import handlers as accounts_handlers
from abci_app.domain.accounts.messages import Transfer

HANDLERS = {
    Transfer: (accounts_handlers.check_stateless_transfer, accounts_handlers.check_and_execute_transfer),
}

# Extra genesis sections: name -> ``init(state, section_or_None)``, after params and accounts.
GENESIS: dict = {}

BEGIN_BLOCK: tuple = ()
END_BLOCK: tuple = ()

# Resolves who pays when a transaction names a ``fee_payer``: ``(state, ctx) -> address``.
# ``None``: no sponsorship module; such transactions are rejected.
FEE_PAYER = None
