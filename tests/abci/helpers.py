"""Helpers for the ABCI-level tests: craft raw transactions and snapshot committed state.

Raw crafting goes through the generated ``samen.v1`` protobuf classes so that each
test can build exactly the malformed or non-canonical bytes it talks about.
"""

from __future__ import annotations

from abci_app.chain import txcodec
from abci_app.tools.client.signer import Signer
from abci_app.chain.txproto import samen_tx


def body_message(signer: Signer, chain_id: str, sequence: int, action=None, **fields):
    """Return a ``TxBody`` protobuf message; ``fields`` override or add scalar fields."""
    body = samen_tx.TxBody(version=txcodec.TX_VERSION, chain_id=chain_id, public_key=signer.public_key,
                           sequence=sequence)
    if action is not None:
        body.action.CopyFrom(txcodec.action_to_proto(action))
    for name, value in fields.items():
        setattr(body, name, value)
    return body


def canonical(message) -> bytes:
    return message.SerializeToString(deterministic=True)


def sign_body(signer: Signer, body: bytes) -> bytes:
    """Return tx bytes for exactly ``body`` (canonical or not), correctly signed."""
    return txcodec.encode_tx(body, signer.sign(txcodec.sign_bytes(body)))


def envelope(raw: bytes):
    """Decode tx bytes into the ``Tx`` protobuf message (no canonical check)."""
    tx = samen_tx.Tx()
    tx.ParseFromString(raw)
    return tx


def committed_view(chain) -> tuple[int, bytes, dict[bytes, bytes]]:
    """Return the committed height, app hash and every key/value of the committed state."""
    height, app_hash = chain.app.info()
    return height, app_hash, dict(chain.app.base.iter_prefix(b""))


def check_view(chain) -> dict[bytes, bytes | None]:
    """Return the pending writes of the CheckTx state."""
    return dict(chain.app.check_state.writes)
