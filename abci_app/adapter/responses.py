"""ABCI responses the server builds from the app's plain values (protobuf, or ``wire`` bytes on hot paths).

Part of the ABCI server (``abci_app.adapter.server``): the encoders of FinalizeBlock's
transaction results and events, validator updates and evidence, and the answers a read
method gives when it fails (``READ_FALLBACKS``, see the server's module doc).
"""

from __future__ import annotations

from abci_app.adapter.protos import abci
from abci_app.chain import events as typed_events, wire
from abci_app.chain.context import TxOutcome
from abci_app.chain.domain.validators.events import ValidatorMisbehavior
from abci_app.chain.errors import QueryFailed


def validator_update(pub_key: bytes, power: int):
    """Return an ABCI ``ValidatorUpdate`` for an ed25519 consensus key."""
    return abci.ValidatorUpdate(pub_key={"ed25519": pub_key}, power=power)


RECHECK = abci.CheckTxType.RECHECK
_QUERY_FAILED = QueryFailed("query failed on this node; try again or ask another node")
READ_FALLBACKS = {   # what a read method answers when it fails (see the module doc)
    "query": lambda: abci.Response(query=abci.ResponseQuery(
        code=_QUERY_FAILED.code, codespace=_QUERY_FAILED.codespace, log=_QUERY_FAILED.message)),
    "list_snapshots": lambda: abci.Response(list_snapshots=abci.ResponseListSnapshots()),
    "load_snapshot_chunk": lambda: abci.Response(load_snapshot_chunk=abci.ResponseLoadSnapshotChunk()),
}
MISBEHAVIOR_KINDS = {1: "duplicate_vote", 2: "light_client_attack"}
BLOCK_ID_FLAG_COMMIT = 2   # tendermint.types.BlockIDFlag: the validator signed the block


def misbehavior_value(m) -> ValidatorMisbehavior:
    """Return the app's value of an ABCI ``Misbehavior`` (an unknown type number reads ``unknown``)."""
    return ValidatorMisbehavior(MISBEHAVIOR_KINDS.get(m.type, "unknown"), m.validator.address, m.validator.power,
                                m.height, m.time.seconds)


def exec_tx_result(outcome: TxOutcome) -> bytes:
    """Return the encoded ``ExecTxResult``; a success leads with a ``message`` event (action, sender)."""
    events = [encoded_event(e) for e in outcome.events]
    if outcome.ok:
        events.insert(0, wire.event("message", (("action", outcome.action), ("sender", outcome.signer))))
    return wire.exec_tx_result(outcome.code, outcome.codespace, outcome.log, events)


def encoded_event(event) -> bytes:
    """Return a typed event as an encoded ABCI ``Event`` (``events.indexed`` sets each attribute's flag)."""
    return wire.event(typed_events.event_type(event), typed_events.attributes(event), typed_events.indexed)
