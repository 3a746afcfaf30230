"""``docs/test-vectors.json`` stays true: it is exactly what the generator writes, and every
vector checks out against an independent encoder written from ``docs/transactions.md``."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import bech32
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from abci_app.chain import txcodec
from abci_app.chain.block import BlockInfo, check_stateless
from abci_app.chain.domain.market.params import MarketParams
from abci_app.chain.domain.params import Params
from abci_app.chain.messages import KINDS

REPO = Path(__file__).resolve().parents[2]
VECTORS = json.loads((REPO / "docs" / "test-vectors.json").read_text(encoding="utf-8"))
IDS = [v["name"] for v in VECTORS["vectors"]]
TRANSFERS = [v for v in VECTORS["vectors"] if "transfer" in v["body"]["action"]]


# -- an independent canonical protobuf encoder, from the rules in docs/transactions.md ------


def varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def field(number: int, value) -> bytes:
    """Encode one field; default values (0, empty) are omitted as the canonical rules require."""
    if isinstance(value, int):
        return varint(number << 3) + varint(value) if value else b""
    data = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(data)) + data if data else b""


def hand_encoded_body(body: dict) -> bytes:
    t = body["action"]["transfer"]
    transfer = field(1, t["to"]) + field(2, t["amount"]) + field(3, t["memo"])
    action = field(16, transfer)  # Action.transfer
    return (field(1, body["version"]) + field(2, body["chain_id"]) + field(3, bytes.fromhex(body["public_key"]))
            + field(4, body["sequence"]) + field(5, body["fee"]) + field(6, body["fee_payer"]) + field(7, action))


def address_of(public_key: bytes) -> str:
    return bech32.bech32_encode("samen", bech32.convertbits(hashlib.sha256(public_key).digest()[:20], 8, 5))


# -- tests ------------------------------------------------------------------------------------


def test_the_vector_file_is_exactly_what_the_generator_writes():
    result = subprocess.run([sys.executable, "scripts/make_test_vectors.py", "--check"], cwd=REPO,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=IDS)
def test_keys_derive_from_their_seed(vector):
    key = vector["key"]
    public = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(key["seed"])).public_key()
    raw = public.public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert raw.hex() == key["public_key"]
    assert address_of(raw) == key["address"]


def test_every_action_kind_has_a_vector():
    covered = {kind for v in VECTORS["vectors"] for kind in v["body"]["action"]}
    missing = sorted(set(KINDS) - covered)
    assert not missing, f"add a case to scripts/vector_cases.py for: {', '.join(missing)}"


@pytest.mark.parametrize("vector", TRANSFERS, ids=[v["name"] for v in TRANSFERS])
def test_the_transfer_body_bytes_follow_the_documented_canonical_encoding(vector):
    assert hand_encoded_body(vector["body"]).hex() == vector["body_hex"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=IDS)
def test_sign_bytes_signature_tx_bytes_and_hash_agree(vector):
    body = bytes.fromhex(vector["body_hex"])
    sign_bytes = b"samen/tx/v1\x00" + body
    assert sign_bytes.hex() == vector["sign_bytes_hex"]
    signature = bytes.fromhex(vector["signature_hex"])
    Ed25519PublicKey.from_public_bytes(bytes.fromhex(vector["key"]["public_key"])).verify(signature, sign_bytes)
    tx = field(1, body) + field(2, signature)
    assert tx.hex() == vector["tx_hex"]
    assert hashlib.sha256(tx).hexdigest() == vector["tx_hash_hex"]


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=IDS)
def test_the_node_accepts_each_vector_statelessly(vector):
    info = BlockInfo(1, 0, vector["body"]["chain_id"], b"", Params(), MarketParams())
    tx, ctx = check_stateless(bytes.fromhex(vector["tx_hex"]), info)
    assert ctx.signer == vector["key"]["address"]
    assert tx.hash.hex() == vector["tx_hash_hex"]
    assert txcodec.sign_bytes(tx.body).hex() == vector["sign_bytes_hex"]
