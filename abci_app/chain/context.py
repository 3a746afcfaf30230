"""The values the state machine is run with and answers with: pure dataclasses, no behaviour.

* ``BlockInfo`` -- the block a handler runs in (height, block time, chain id, proposer, the
  parameters, the evidence).  **Parameters come from the block**: ``block.params`` (the
  chain's, also ``ctx.params``) and ``block.market`` (the market family's), both read from
  the committed state when the block starts, so every transaction and hook of a block runs
  with the same values and a change made in block H applies from block H+1.  Handlers never
  read parameters from state; the state accessors (``domain.params.get``,
  ``domain.market.params.get``) serve the adapter that builds the block, the parameter
  update that rewrites them, and queries.
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
    from abci_app.chain.domain.market.params import MarketParams
    from abci_app.chain.domain.params import Params
    from abci_app.chain.domain.validators.events import ValidatorMisbehavior


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
    params: Params          # the chain's parameters (fees, sizes)
    market: MarketParams    # the market family's windows and caps (``domain.market.params``)
    # CometBFT's evidence for this block (FinalizeBlock ``misbehavior``), recorded by the validators' end-block hook
    misbehavior: tuple[ValidatorMisbehavior, ...] = ()


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
class ValidatorUpdates:
    """Not an event: the block's validator-set changes for CometBFT, ``(pub_key, power)`` in key order.

    The validators' end-block hook returns it among its events; the block runner moves it
    to ``BlockOutcome.validator_updates``.
    """

    updates: tuple[tuple[bytes, int], ...]


@dataclass(frozen=True, slots=True)
class BlockOutcome:
    """Every transaction's outcome in order, the begin/end-block hooks' events and the validator-set changes."""

    txs: list[TxOutcome]
    events: list[Any] = field(default_factory=list)
    validator_updates: list[tuple[bytes, int]] = field(default_factory=list)
