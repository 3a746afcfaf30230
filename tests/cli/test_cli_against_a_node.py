"""End to end: ``samen keys``, ``samen tx transfer`` and ``samen query`` as subprocesses against a real node."""

from __future__ import annotations

import json

import pytest

from abci_app.tools.cli.common import EXIT_REJECTED
from tests.cli.helpers import samen

pytestmark = pytest.mark.node

PASS = {"SAMEN_PASSPHRASE": "e2e passphrase"}


def test_keys_transfer_and_queries_work_against_a_real_node(node_factory, tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "keyring")]
    alice = json.loads(samen(["keys", "add", "alice", "-o", "json", *keyring], env=PASS).stdout)
    bob = json.loads(samen(["keys", "add", "bob", "--unencrypted", "-o", "json", *keyring]).stdout)
    node = node_factory(accounts=[(alice["address"], 5_000)]).start()
    target = ["--node", node.rpc_url, *keyring]

    declined = samen(["tx", "transfer", "--from", "alice", "--to", bob["address"], "--amount", "1200", *target],
                     env=PASS, input="n\n")
    assert declined.returncode != 0 and "Transaction to sign:" in declined.stderr and "amount: 1200" in declined.stderr
    assert declined.stderr.strip().endswith("error: aborted: nothing was signed")

    sent = samen(["tx", "transfer", "--from", "alice", "--to", bob["address"], "--amount", "1200", "--memo", "e2e",
                  "-y", "-o", "json", *target], env=PASS)
    assert sent.returncode == 0, sent.stderr
    result = json.loads(sent.stdout)
    assert result["code"] == 0 and result["height"] >= 1 and result["sequence"] == 0
    assert {"type": "transfer", "attributes": {"sender": alice["address"], "recipient": bob["address"],
                                               "amount": "1200", "memo": "e2e"}} in result["events"]
    assert "Transaction to sign:" not in sent.stderr  # -y: no summary, no question

    account = json.loads(samen(["query", "account", "bob", "-o", "json", *target]).stdout)
    assert account["balance"] == 1200 and account["address"] == bob["address"]
    tx = json.loads(samen(["query", "tx", result["hash"], "-o", "json", "--node", node.rpc_url]).stdout)
    assert tx["height"] == result["height"] and tx["code"] == 0
    status = json.loads(samen(["query", "status", "-o", "json", "--node", node.rpc_url]).stdout)
    assert status["chain_id"] == node.chain_id and status["latest_block_height"] >= result["height"]

    overdraw = samen(["tx", "transfer", "--from", "bob", "--to", alice["address"], "--amount", "999999", "-y",
                      "-o", "json", *target])
    assert overdraw.returncode == EXIT_REJECTED
    assert overdraw.stderr.strip().splitlines()[-1].startswith("error: transaction rejected by CheckTx (accounts/4)")
    assert json.loads(overdraw.stdout)["code"] == 4
    assert node.balance(bob["address"]) == 1200


def test_an_encrypted_key_with_a_wrong_passphrase_signs_nothing(node_factory, tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "keyring")]
    alice = json.loads(samen(["keys", "add", "alice", "-o", "json", *keyring], env=PASS).stdout)
    node = node_factory(accounts=[(alice["address"], 5_000)]).start()
    sent = samen(["tx", "transfer", "--from", "alice", "--to", alice["address"], "--amount", "1", "-y",
                  "--node", node.rpc_url, *keyring], env={"SAMEN_PASSPHRASE": "wrong"})
    assert sent.returncode == 1
    assert sent.stderr.strip() == "error: wrong passphrase for key 'alice'"
    assert node.sequence(alice["address"]) == 0
