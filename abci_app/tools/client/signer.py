"""An ed25519 signing key and the transactions it signs."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from abci_app.chain import addresses, txcodec


@dataclass(frozen=True)
class Signer:
    """A private key with its public key and address."""

    seed: bytes  # the 32-byte ed25519 private key seed

    @classmethod
    def generate(cls) -> "Signer":
        from cryptography.hazmat.primitives.serialization import NoEncryption, PrivateFormat

        key = Ed25519PrivateKey.generate()
        return cls(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()))

    @property
    def _key(self) -> Ed25519PrivateKey:
        return Ed25519PrivateKey.from_private_bytes(self.seed)

    @property
    def public_key(self) -> bytes:
        return self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)

    @property
    def address(self) -> str:
        return addresses.from_public_key(self.public_key)

    def sign(self, data: bytes) -> bytes:
        return self._key.sign(data)

    def sign_tx(self, chain_id: str, sequence: int, action, fee: int = 0, fee_payer: str = "") -> bytes:
        """Return the canonical bytes of ``action`` signed by this key."""
        body = txcodec.encode_body(chain_id=chain_id, public_key=self.public_key, sequence=sequence,
                                 action=action, fee=fee, fee_payer=fee_payer)
        return txcodec.encode_tx(body, self.sign(txcodec.sign_bytes(body)))
