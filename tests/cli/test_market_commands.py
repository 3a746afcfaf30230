"""``samen tx request|offer|agreement|project|document`` and ``samen query …`` for the market family."""

from __future__ import annotations

import hashlib
import json

import pytest

from tests.cli.helpers import invoke, samen

PASS = {"SAMEN_PASSPHRASE": "e2e passphrase"}


def test_bad_input_is_refused_locally_before_any_key_is_opened(tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "nokeys")]
    title = invoke(["tx", "request", "post", "--from", "x", "--title", " ", "--offers-until", "+7d", *keyring])
    assert title.exit_code == 2 and "--title: title must not be empty (market/17)" in title.output
    deliver = invoke(["tx", "agreement", "deliver", "1", "--from", "x", "--delivery", "abc", *keyring])
    assert deliver.exit_code == 2 and "--delivery: must be 64 hex characters" in deliver.output
    split = invoke(["tx", "agreement", "resolve", "1", "--from", "x", "--provider-bps", "10001", *keyring])
    assert split.exit_code == 2 and "--provider-bps" in split.output
    when = invoke(["tx", "project", "offer", "1", "--from", "x", "--to", "samen1x", "--expires", "soon", *keyring])
    assert when.exit_code == 2 and "--expires: must be an ISO date" in when.output


def test_cancel_names_the_revision_seen_or_withdraws_and_refuses_neither_locally():
    proposal = invoke(["tx", "agreement", "cancel", "4", "--revision", "3", "--print-action"])
    assert proposal.exit_code == 0
    assert json.loads(proposal.stdout)[0]["msg"] == {"agreement_id": 4, "revision": 3, "withdraw": False}
    withdrawal = invoke(["tx", "agreement", "cancel", "4", "--withdraw", "--print-action"])
    assert json.loads(withdrawal.stdout)[0]["msg"]["withdraw"] is True
    missing = invoke(["tx", "agreement", "cancel", "4", "--print-action"])
    assert missing.exit_code == 2 and "--revision" in missing.output


def test_every_market_family_command_is_registered():
    for group, commands in {"request": ("post", "withdraw"), "offer": ("make", "withdraw", "accept"),
                            "standing": ("publish", "withdraw", "take"),
                            "agreement": ("deliver", "accept", "reclaim", "dispute", "resolve", "cancel", "rate"),
                            "project": ("create", "fund", "withdraw-budget", "offer", "withdraw-offer", "accept"),
                            "document": ("publish", "attach")}.items():
        for command in commands:
            assert invoke(["tx", group, command, "--help"]).exit_code == 0, (group, command)
    for command in ("request", "offer", "standing-offer", "agreement", "project", "document", "reputation",
                    "friction"):
        assert invoke(["query", command, "--help"]).exit_code == 0, command


@pytest.mark.node
def test_a_request_is_offered_accepted_delivered_paid_and_rated_through_a_real_node(node_factory, tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "keyring")]
    group = json.loads(samen(["keys", "add", "group", "--unencrypted", "-o", "json", *keyring]).stdout)
    trainer = json.loads(samen(["keys", "add", "trainer", "--unencrypted", "-o", "json", *keyring]).stdout)
    node = node_factory(accounts=[(group["address"], 5_000), (trainer["address"], 100)]).start()
    target = ["--node", node.rpc_url, *keyring, "-y", "-o", "json"]

    def tx(*args):
        done = samen(["tx", *args, *target])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def query(*args):
        done = samen(["query", *args, "--node", node.rpc_url, "-o", "json"])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    tx("request", "post", "--from", "group", "--title", "Train 10 volunteers in first aid", "--tag", "first-aid",
       "--budget", "1000", "--offers-until", "+7d")
    tx("offer", "make", "--from", "trainer", "--request", "1", "--price", "800", "--deadline", "+14d")
    tx("offer", "accept", "1", "--from", "group")
    assert node.balance(group["address"]) == 4_200
    certificate = tmp_path / "certificate.txt"
    certificate.write_text("10 volunteers certified")
    tx("document", "publish", "--from", "trainer", "--title", "Certificates", "--media-type", "text/plain",
       "--file", str(certificate))
    digest = hashlib.sha256(certificate.read_bytes()).hexdigest()
    tx("agreement", "deliver", "1", "--from", "trainer", "--delivery", digest)
    tx("agreement", "accept", "1", "--from", "group")
    tx("agreement", "rate", "1", "--from", "group", "--score", "5")
    assert node.balance(trainer["address"]) == 900
    assert query("agreement", "1")["outcome"] == "completed"
    assert query("document", digest)["document"]["owner"] == trainer["address"]
    reputation = query("reputation", trainer["address"])
    assert reputation["counts"]["completed_as_provider"] == 1 and reputation["counts"]["rating_sum"] == 5
    (week,) = query("friction", "all", "--period", "week")
    assert week["agreements"] == 1 and week["completed"] == 1
    rejected = samen(["tx", "agreement", "accept", "1", "--from", "group", *target])
    assert rejected.returncode == 3 and "(agreements/13)" in rejected.stderr
