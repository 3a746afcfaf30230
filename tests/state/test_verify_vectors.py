"""Verification against a recorded real-node answer (docs/vectors/verify_v0.38.json), no node needed."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from abci_app.tools.client import cometbft_types as ct
from abci_app.tools.client.verify import VerificationError, validators_from_genesis, verify_answer

VECTOR = json.loads((Path(__file__).resolve().parents[2] / "docs" / "vectors" / "verify_v0.38.json").read_text())
VALIDATORS = validators_from_genesis({"validators": VECTOR["genesis_validators"]})


def test_the_recorded_inclusion_and_absence_answers_verify():
    inclusion = VECTOR["inclusion"]
    answer = verify_answer(inclusion["abci_query_response"], inclusion["signed_header"], VECTOR["chain_id"], VALIDATORS)
    assert json.loads(answer.value)["balance"] == 525
    absence = VECTOR["absence"]
    answer = verify_answer(absence["abci_query_response"], absence["signed_header"], VECTOR["chain_id"], VALIDATORS)
    assert answer.value is None


def test_the_recomputed_header_hash_is_the_block_id_the_validators_signed():
    signed = VECTOR["inclusion"]["signed_header"]
    assert ct.header_hash(signed["header"]).hex().upper() == signed["commit"]["block_id"]["hash"]


def test_a_recorded_absence_answer_cannot_be_turned_into_a_value():
    absence = copy.deepcopy(VECTOR["absence"])
    absence["abci_query_response"]["code"] = 0
    absence["abci_query_response"]["value"] = "eyJiYWxhbmNlIjoxfQ=="
    with pytest.raises(VerificationError, match="absent, but a value was claimed"):
        verify_answer(absence["abci_query_response"], absence["signed_header"], VECTOR["chain_id"], VALIDATORS)


def test_rfc6962_merkle_roots_split_at_the_largest_power_of_two():
    leaf = lambda x: ct.hashlib.sha256(b"\x00" + x).digest()  # noqa: E731
    node = lambda a, b: ct.hashlib.sha256(b"\x01" + a + b).digest()  # noqa: E731
    assert ct.merkle_root([]) == ct.hashlib.sha256(b"").digest()
    assert ct.merkle_root([b"a", b"b", b"c"]) == node(node(leaf(b"a"), leaf(b"b")), leaf(b"c"))
