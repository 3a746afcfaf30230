"""``stateProof`` and ``lightBlock`` (what a client needs to verify an answer itself), in process.

The proof is checked here with the chain's own verifier against the app hash ``_meta``
reports for that height; the signed header comes from the node's RPC, so without one
(``rpc_url=""``) ``lightBlock`` says why it has none.  End to end, with a real node and the
page's verifier: ``tests/dashboard/test_browser_act.py`` and ``test_browser_verifier.py``.
"""

from __future__ import annotations

import base64

from abci_app.chain.domain.accounts import keys
from abci_app.chain.state import proofs
from tests.support.chain import key

PROOF = "query($k: String!, $h: Int!) { stateProof(key: $k, block: {number: $h}) { height key value proof } " \
        "_meta(block: {number: $h}) { appHash } }"


def proven(api, raw_key: bytes, height: int) -> tuple[dict, bytes]:
    data = api.data(PROOF, {"k": raw_key.hex(), "h": height})
    return data["stateProof"], bytes.fromhex(data["_meta"]["appHash"])


def test_a_state_proof_proves_the_stored_value_under_that_heights_app_hash(api):
    raw_key = keys.account(key(2).address)
    for height in (3, 8):
        answer, app_hash = proven(api, raw_key, height)
        value = base64.b64decode(answer["value"])
        assert answer["height"] == height and answer["key"] == raw_key.hex()
        assert b'"balance"' in value
        proofs.verify(app_hash, raw_key, value, base64.b64decode(answer["proof"]))
    assert proven(api, raw_key, 3)[0]["value"] != proven(api, raw_key, 8)[0]["value"]   # bob was paid meanwhile


def test_a_missing_key_is_proven_absent(api):
    raw_key = keys.account("samen1nobodyhere")
    answer, app_hash = proven(api, raw_key, 5)
    assert answer["value"] is None
    proofs.verify(app_hash, raw_key, None, base64.b64decode(answer["proof"]))


def test_a_key_that_is_not_hex_or_too_long_is_refused(api):
    for bad in ("zz", "", "00" * 513):
        body = api.query("query($k: String!) { stateProof(key: $k) { height } }", {"k": bad})
        assert "state key must be" in body["errors"][0]["message"], body


def test_without_the_nodes_rpc_there_is_no_signed_header_and_the_answer_says_so(api):
    body = api.query("{ lightBlock { height } }")
    assert body["data"]["lightBlock"] is None and "no signed header available" in body["errors"][0]["message"]
    assert api.data("{ lightBlock(height: 3) { height } }")["lightBlock"] is None
