"""Write ``docs/test-vectors.json``: signed transactions a client in another language can check.

    python scripts/make_test_vectors.py           # (re)write the file
    python scripts/make_test_vectors.py --check   # exit 1 if the file is not what this script writes

Keys are deterministic (seed = SHA-256 of a fixed label), ed25519 signatures are
deterministic (RFC 8032), so the output never changes unless the format does;
``tests/unit/test_vectors.py`` keeps the file true.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from abci_app import addresses, codec  # noqa: E402
from abci_app.client.signer import Signer  # noqa: E402
from abci_app.domain.accounts.messages import Transfer  # noqa: E402

OUT = Path(__file__).resolve().parents[1] / "docs" / "test-vectors.json"
CHAIN_ID = "samen-testnet-1"


def signer(label: str) -> Signer:
    return Signer(hashlib.sha256(f"samen/test-vector/{label}".encode()).digest())


ALICE, BOB, CAROL = signer("alice"), signer("bob"), signer("carol")


def cases() -> list[dict]:
    """The transactions in the file: name, signer, sequence, fee, fee payer, action."""
    return [
        dict(name="transfer", signer=("alice", ALICE), sequence=0, fee=0, fee_payer="",
             action=Transfer(BOB.address, 1000, "")),
        dict(name="transfer-with-memo-and-fee", signer=("alice", ALICE), sequence=7, fee=2, fee_payer="",
             action=Transfer(BOB.address, 250, "koffie ☕ voor het team")),
        dict(name="transfer-of-the-maximum-amount", signer=("bob", BOB), sequence=300, fee=1, fee_payer="",
             action=Transfer(CAROL.address, (1 << 63) - 1, "")),
        dict(name="transfer-with-fee-payer", signer=("carol", CAROL), sequence=3, fee=5, fee_payer=ALICE.address,
             action=Transfer(ALICE.address, 1, "sponsored")),
    ]


def key_entry(label: str, key: Signer) -> dict:
    return {"label": label, "seed": key.seed.hex(), "public_key": key.public_key.hex(), "address": key.address}


def vector(case: dict) -> dict:
    label, key = case["signer"]
    action = case["action"]
    body = codec.encode_body(chain_id=CHAIN_ID, public_key=key.public_key, sequence=case["sequence"],
                             action=action, fee=case["fee"], fee_payer=case["fee_payer"])
    sign_bytes = codec.sign_bytes(body)
    signature = key.sign(sign_bytes)
    tx = codec.encode_tx(body, signature)
    return {
        "name": case["name"],
        "key": key_entry(label, key),
        "body": {"version": codec.TX_VERSION, "chain_id": CHAIN_ID, "public_key": key.public_key.hex(),
                 "sequence": case["sequence"], "fee": case["fee"], "fee_payer": case["fee_payer"],
                 "action": {"transfer": {"to": action.to, "amount": action.amount, "memo": action.memo}}},
        "body_hex": body.hex(),
        "sign_bytes_hex": sign_bytes.hex(),
        "signature_hex": signature.hex(),
        "tx_hex": tx.hex(),
        "tx_hash_hex": codec.tx_hash(tx).hex(),
    }


def document() -> dict:
    return {
        "about": "Samen transaction test vectors; format in docs/transactions.md, schema in proto/samen/v1/tx.proto",
        "generator": "python scripts/make_test_vectors.py",
        "sign_domain_hex": codec.SIGN_DOMAIN.hex(),
        "address_rule": "bech32('samen', SHA-256(public_key)[:20])",
        "tx_hash_rule": "SHA-256(tx bytes)",
        "module_addresses": {"community_pool": addresses.COMMUNITY_POOL},
        "keys": [key_entry(label, key) for label, key in (("alice", ALICE), ("bob", BOB), ("carol", CAROL))],
        "vectors": [vector(case) for case in cases()],
    }


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != text:
            print(f"{OUT} is out of date: run python scripts/make_test_vectors.py", file=sys.stderr)
            return 1
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
