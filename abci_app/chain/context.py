"""The values the state machine is run with and answers with: pure dataclasses, no behaviour.

* ``BlockInfo`` -- the block a handler runs in (height, block time, chain id, proposer, the
  chain's parameters).  The only parameters a handler reads are ``block.params`` /
  ``ctx.params`` (both the same value for a transaction).
* ``TxContext`` -- what a handler knows about the transaction it executes.
* ``Router`` -- message dataclass -> its two handler phases (built in ``abci_app.chain.router``).
* ``Action`` -- the type of a field that holds any message kind the router knows (a
  proposal's actions, a role's action).
* ``TxOutcome`` / ``BlockOutcome`` -- one result per transaction, in order, and the block
  hooks' events.

Kept apart from ``abci_app.chain.auth`` (signature checks) and ``abci_app.chain.block`` (the
runner) so domain code and readers import these types without the crypto or the registry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:   # annotations only: message modules import ``Action`` from here, and ``params`` uses the codec
    from abci_app.chain.domain.params import Params


class Action:
    """Type hint for a field that holds any message kind of the transaction format.

    On the wire it is a ``samen.v1.Action`` (the ``oneof``); in state JSON
    ``{"kind": <oneof field>, "msg": {...}}`` (``abci_app.chain.codec``).
    """


@dataclass(frozen=True, slots=True)
class BlockInfo:
    """The block being executed (CheckTx uses the next block's expected values)."""

    height: int
    time: int          # block time, whole seconds since the Unix epoch
    chain_id: str
    proposer: bytes
    params: Params


@dataclass(frozen=True, slots=True)
class TxContext:
    """What a handler knows about the transaction it executes."""

    signer: str
    sequence: int
    fee: int
    fee_payer: str
    hash: bytes
    params: Params


@dataclass(frozen=True, slots=True)
class TxOutcome:
    """One transaction's result: ``code`` 0 on success, else a ledger error's stable pair and log."""

    code: int
    codespace: str
    log: str
    events: tuple[Any, ...] = ()
    hash: bytes = b""
    signer: str = ""
    action: str = ""
    charged: bool = False   # authenticated: the fee was taken and the sequence consumed (even if code != 0)

    @property
    def ok(self) -> bool:
        return self.code == 0


# A message kind's two phases: ``check_stateless(msg, ctx)`` (pure, raises ``LedgerError``) and
# ``check_and_execute(state, block, ctx, msg) -> events`` (on the transaction's overlay).
Stateless = Callable[[Any, TxContext], None]
Execute = Callable[[Any, BlockInfo, TxContext, Any], list[Any]]
# The router: message dataclass -> its two phases (``abci_app.chain.components.ROUTER``), handed
# to what runs messages (the block runner, and proposals and roles, whose actions are messages).
Router = Mapping[type, tuple[Stateless, Execute]]


@dataclass(frozen=True, slots=True)
class BlockOutcome:
    """Every transaction's outcome in order, and the begin/end-block hooks' events."""

    txs: list[TxOutcome]
    events: list[Any] = field(default_factory=list)
