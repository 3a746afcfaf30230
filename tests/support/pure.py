"""Handlers run purely: a message's two phases (the router's ``check_stateless`` and
``check_and_execute``) against a ``Delta`` over an in-memory base, without the app, LMDB,
signatures, fees, sequences or block hooks.

    world = PureChain(balances={alice: 1_000})
    events = world.run(alice, Transfer(bob, 5))            # the transaction's fork is applied
    world.rejects(alice, Transfer(bob, 0), errors.ZeroAmount)   # raised, and nothing changed

* the genesis is the real one (``abci_app.chain.genesis.apply``) written into an overlay over a
  ``DictState``; ``state`` is that overlay, with every applied transaction in it;
* ``run`` builds ``BlockInfo``/``TxContext`` as the block runner does (parameters read from
  state), runs the stateless check, then executes on a fork and applies the fork; a
  ``LedgerError`` propagates and the fork is dropped (the overlay's atomicity, no undo code);
* ``changes(signer, msg)`` runs ``msg`` and returns the keys whose value it changed (key -> new
  value, ``None`` for a delete), so a test can say exactly which keys a handler writes;
* ``network_genesis(members, validators)`` is the ``validators`` genesis section of a chain
  governed by a network organization of ``members`` (weight 1 each) with ``validators``
  (pub key -> power) as its set: the organization's id is 1;
* ``time`` is the block time (``advance(seconds)`` moves it); ``height`` grows by one per ``run``.
"""

from __future__ import annotations

import base64

from abci_app.chain import genesis
from abci_app.chain.components import ROUTER
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.domain import params as chain_params
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.errors import LedgerError
from abci_app.chain.state.delta import Delta
from abci_app.chain.state.protocols import DictState
from abci_app.tools.client.signer import Signer

CHAIN_ID = "samen-pure"
GENESIS_TIME = 1_700_000_000


def _address(who) -> str:
    return who.address if isinstance(who, Signer) else who


def network_genesis(members, validators: dict[bytes, int], min_validators: int = 1) -> dict:
    policy = {"kind": 1, "threshold": 1, "voting_period": 100, "min_delay": 0}
    return {"validators": {
        "organization": {"name": "network", "members": [{"address": _address(m), "weight": 1} for m in members],
                         "policy": policy},
        "validators": [{"pub_key": base64.b64encode(k).decode(), "power": p} for k, p in validators.items()],
        "min_validators": min_validators}}


class PureChain:
    def __init__(self, balances: dict | None = None, extra_genesis: dict | None = None) -> None:
        self.state = Delta(DictState())
        doc = {"accounts": [{"address": _address(k), "balance": v} for k, v in (balances or {}).items()]}
        genesis.apply(self.state, {**doc, **(extra_genesis or {})})
        self.height, self.time = 1, GENESIS_TIME

    def advance(self, seconds: int) -> None:
        self.time += seconds

    def block(self) -> BlockInfo:
        return BlockInfo(self.height, self.time, CHAIN_ID, b"\x01" * 20, chain_params.get(self.state),
                         market_params.get(self.state))

    def run(self, signer, msg) -> list:
        """Run ``msg`` as ``signer``'s transaction in the next block; return its events."""
        self.height += 1
        block = self.block()
        ctx = TxContext(_address(signer), 0, 0, "", b"\x00" * 32, block.params)
        check_stateless, check_and_execute = ROUTER[type(msg)]
        check_stateless(msg, ctx)
        fork = self.state.fork()
        events = check_and_execute(fork, block, ctx, msg)
        fork.apply()
        return events

    def changes(self, signer, msg) -> dict[bytes, bytes | None]:
        """Run ``msg`` as ``run`` does; return the keys whose stored value it changed."""
        before = dict(self.state.writes)
        self.run(signer, msg)
        after = self.state.writes
        return {k: after.get(k) for k in sorted(before.keys() | after.keys()) if before.get(k) != after.get(k)}

    def rejects(self, signer, msg, error: type[LedgerError]) -> LedgerError:
        """Assert ``msg`` fails with ``error`` and leaves the state as it was; return the error."""
        before = dict(self.state.writes)
        try:
            self.run(signer, msg)
        except LedgerError as exc:
            assert type(exc) is error, f"expected {error.__name__}, got {type(exc).__name__}: {exc}"
            assert self.state.writes == before, "a rejected message changed the state"
            return exc
        raise AssertionError(f"expected {error.__name__}, the message was accepted")
