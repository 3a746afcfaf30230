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


# The request -> offer -> agreement -> delivery -> payment -> rating path through a real node is the README's
# story, run as written by tests/cli/test_readme_runs.py.
