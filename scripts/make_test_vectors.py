"""Write ``docs/test-vectors.json`` and the browser's transaction schema ``dashboard/js/app/schema.js``.

    python scripts/make_test_vectors.py           # (re)write both files
    python scripts/make_test_vectors.py --check   # exit 1 if either is not what this script writes

The vectors (``scripts/vector_cases.py``, one or more per action kind) are encoded and
signed by the Python codec and signer; ed25519 signatures are deterministic (RFC 8032),
so the output never changes unless the format does.  The schema is the field table of
``proto/samen/v1/tx.proto`` (names, numbers, types) that the page's hand-written encoder
(``dashboard/js/app/wire.js``) walks.  ``tests/unit/test_vectors.py`` keeps both true and
``tests/dashboard/test_browser_signer.py`` runs every vector through the page's encoder.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from abci_app.chain import addresses, txcodec  # noqa: E402
from abci_app.tools.client.signer import Signer  # noqa: E402
from abci_app.chain.txproto import samen_tx  # noqa: E402
from vector_cases import KEYS, cases  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "test-vectors.json"
SCHEMA_OUT = ROOT / "dashboard" / "js" / "app" / "schema.js"
CHAIN_ID = "samen-testnet-1"
SCALARS = {13: "uint32", 4: "uint64", 8: "bool", 9: "string", 12: "bytes"}   # FieldDescriptor.TYPE_*


def key_entry(label: str, key: Signer) -> dict:
    return {"label": label, "seed": key.seed.hex(), "public_key": key.public_key.hex(), "address": key.address}


def wire_json(pb: Any) -> dict:
    """A protobuf message as the page writes it: every field by its proto name, bytes as hex;
    an ``Action`` as ``{kind: message}`` (``{}`` when empty)."""
    if pb.DESCRIPTOR.name == "Action":
        kind = pb.WhichOneof("kind")
        return {} if kind is None else {kind: wire_json(getattr(pb, kind))}
    out = {}
    for f in pb.DESCRIPTOR.fields:
        value = getattr(pb, f.name)
        convert = (lambda v: v.hex()) if f.type == 12 else wire_json if f.type == 11 else (lambda v: v)
        out[f.name] = [convert(v) for v in value] if _repeated(f) else convert(value)
    return out


def _repeated(field: Any) -> bool:
    return bool(field.is_repeated)


def vector(case: dict) -> dict:
    label, key = case["signer"]
    body = txcodec.encode_body(chain_id=CHAIN_ID, public_key=key.public_key, sequence=case["sequence"],
                             action=case["action"], fee=case["fee"], fee_payer=case["fee_payer"])
    sign_bytes = txcodec.sign_bytes(body)
    signature = key.sign(sign_bytes)
    tx = txcodec.encode_tx(body, signature)
    return {
        "name": case["name"],
        "key": key_entry(label, key),
        "body": {"version": txcodec.TX_VERSION, "chain_id": CHAIN_ID, "public_key": key.public_key.hex(),
                 "sequence": case["sequence"], "fee": case["fee"], "fee_payer": case["fee_payer"],
                 "action": wire_json(txcodec.action_to_proto(case["action"]))},
        "body_hex": body.hex(),
        "sign_bytes_hex": sign_bytes.hex(),
        "signature_hex": signature.hex(),
        "tx_hex": tx.hex(),
        "tx_hash_hex": txcodec.tx_hash(tx).hex(),
    }


def document() -> dict:
    return {
        "about": "Samen transaction test vectors; format in docs/transactions.md, schema in proto/samen/v1/tx.proto",
        "generator": "python scripts/make_test_vectors.py",
        "sign_domain_hex": txcodec.SIGN_DOMAIN.hex(),
        "address_rule": "bech32('samen', SHA-256(public_key)[:20])",
        "tx_hash_rule": "SHA-256(tx bytes)",
        "action_form": "body.action is {kind: fields}; every field by its proto name, bytes as lowercase hex, "
                       "a nested Action the same way ({} when empty)",
        "module_addresses": {"community_pool": addresses.COMMUNITY_POOL},
        "keys": [key_entry(label, key) for label, key in KEYS],
        "vectors": [vector(case) for case in cases()],
    }


def schema() -> dict:
    """The field table of every message reachable from ``TxBody``: name -> [[field, number, type, repeated]]."""
    messages: dict[str, list] = {}
    pending = [samen_tx.Tx.DESCRIPTOR, samen_tx.TxBody.DESCRIPTOR]
    while pending:
        desc = pending.pop()
        if desc.name in messages:
            continue
        rows = []
        for f in sorted(desc.fields, key=lambda f: f.number):
            if f.type == 11:
                pending.append(f.message_type)
                kind = f.message_type.name
            elif f.type in SCALARS:
                kind = SCALARS[f.type]
            else:
                raise SystemExit(f"{desc.name}.{f.name}: protobuf type {f.type} is not supported by the page's encoder")
            oneof = f.containing_oneof is not None
            rows.append([f.name, f.number, kind, "repeated" if _repeated(f) else "oneof" if oneof else ""])
        messages[desc.name] = rows
    return dict(sorted(messages.items()))


def render() -> str:
    return json.dumps(document(), indent=2, ensure_ascii=False) + "\n"


def render_schema() -> str:
    lines = ",\n".join(f"  {name}: {json.dumps(rows)}" for name, rows in schema().items())
    return ("// Generated by `python scripts/make_test_vectors.py` from proto/samen/v1/tx.proto: do not edit.\n"
            "// Each message: [field name, field number, type (scalar or message name), \"repeated\" | \"oneof\" | \"\"].\n"
            f"export const MESSAGES = {{\n{lines},\n}};\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    outputs = ((OUT, render()), (SCHEMA_OUT, render_schema()))
    if args.check:
        stale = [path for path, text in outputs if not path.exists() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is out of date: run python scripts/make_test_vectors.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
