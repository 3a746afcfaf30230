"""Client verification against a real single-validator CometBFT node, and forgeries of each part."""

from __future__ import annotations

import base64
import copy
import json

import pytest

from abci_app.tools.client.verify import Validator, VerificationError, Verifier, validators_from_genesis, verify_answer
from abci_app.chain.domain.accounts import keys as account_keys
from tests.support.node import signer_for, transfer_tx

pytestmark = pytest.mark.node

ALICE, BOB = signer_for("alice"), signer_for("bob")


@pytest.fixture
def node(node_factory):
    return node_factory(accounts=[(ALICE.address, 1_000_000), (BOB.address, 500)]).start()


def trusted(node) -> tuple[Validator, ...]:
    return validators_from_genesis(json.loads((node.home / "config" / "genesis.json").read_text()))


def flip(b64_text: str, position: int = -1) -> str:
    raw = bytearray(base64.b64decode(b64_text))
    raw[position] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_an_honest_answer_verifies_at_the_latest_and_at_a_past_height(node):
    assert node.broadcast_commit(transfer_tx(ALICE, BOB.address, 25, sequence=0))["tx_result"]["code"] == 0
    verifier = Verifier(node.rpc, node.chain_id, trusted(node))
    latest = verifier.query(f"/account/{BOB.address}")
    assert json.loads(latest.value)["balance"] == 525
    assert latest.key == account_keys.account(BOB.address)
    first = verifier.query(f"/account/{BOB.address}", height=1)
    assert first.height == 1 and json.loads(first.value)["balance"] == 500
    missing = verifier.query(f"/account/{signer_for('nobody').address}")
    assert missing.value is None


def test_a_forged_value_proof_header_or_signature_and_an_untrusted_set_each_fail_with_a_reason(node):
    verifier = Verifier(node.rpc, node.chain_id, trusted(node))
    response = verifier.raw_query(f"/account/{ALICE.address}")
    header = verifier.signed_header(int(response["height"]) + 1)
    verify_answer(response, header, node.chain_id, trusted(node))   # the untouched answer holds

    def fails(reason: str, response=response, header=header, validators=trusted(node)):
        with pytest.raises(VerificationError, match=reason):
            verify_answer(response, header, node.chain_id, validators)

    forged_value = copy.deepcopy(response)
    forged_value["value"] = base64.b64encode(base64.b64decode(response["value"]).replace(b"1000000", b"9000000")).decode()
    fails("value does not match", response=forged_value)

    forged_proof = copy.deepcopy(response)
    op = forged_proof["proofOps"]["ops"][0]
    op["data"] = flip(op["data"])
    fails("does not lead to the trusted root", response=forged_proof)

    forged_header = copy.deepcopy(header)
    forged_header["header"]["app_hash"] = "00" * 32
    fails("header hash does not match", header=forged_header)

    forged_signature = copy.deepcopy(header)
    sig = forged_signature["commit"]["signatures"][0]
    sig["signature"] = flip(sig["signature"], 0)
    fails("invalid commit signature", header=forged_signature)

    real = trusted(node)
    heavier = real + (Validator(b"\x07" * 20, b"\x07" * 32, 3 * sum(v.power for v in real)),)
    fails("insufficient voting power", validators=heavier)
    stranger = (Validator(b"\x08" * 20, b"\x08" * 32, 10),)
    fails("insufficient voting power: trusted validators with 0 of 10", validators=stranger)
    with pytest.raises(VerificationError, match="expected 'other-chain'"):
        verify_answer(response, header, "other-chain", real)
