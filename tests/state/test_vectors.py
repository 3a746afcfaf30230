"""The test vectors published in docs/proofs.md stay true (they define the format)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from abci_app.chain.state import proofs, smt, smt_update
from abci_app.chain.state.proofs import ProofError

DOC = (Path(__file__).resolve().parents[2] / "docs" / "proofs.md").read_text()
STATE = {b"acc/alice": b'{"balance":100}', b"acc/bob": b'{"balance":7}', b"supply": b"107"}


def vector(label: str) -> bytes:
    match = re.search(r"^\| " + re.escape(label) + r"[^|]* \| `([0-9a-f]+)` \|$", DOC, re.M)
    assert match, f"vector {label!r} missing from docs/proofs.md"
    return bytes.fromhex(match.group(1))


def test_the_documented_root_is_the_root_of_the_documented_state():
    batch = smt_update.update({}, None, sorted(STATE.items()), 1)
    assert batch.root_hash == vector("**root**")
    assert smt.key_hash(b"acc/bob") == vector('`H("acc/bob")`')


@pytest.mark.parametrize("label, key, value", [
    ("inclusion `acc/bob`", b"acc/bob", STATE[b"acc/bob"]),
    ("absence `acc/carol`", b"acc/carol", None),
    ("absence `q`", b"q", None),
    ("absence `k7`", b"k7", None),
])
def test_each_documented_proof_verifies_and_fails_for_another_claim(label, key, value):
    root = vector("**root**")
    proofs.verify(root, key, value, vector(label))
    with pytest.raises(ProofError):
        proofs.verify(root, key, b"forged", vector(label))
