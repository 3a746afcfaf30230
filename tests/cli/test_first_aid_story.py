"""The story, end to end through a real node with the CLI.

A neighbourhood first-aid group of three asks, by proposal, for "train 10
volunteers in first aid"; two providers offer; the group accepts one by
proposal (escrow from its treasury); the trainer delivers with a certificate
document; the group accepts and rates by proposal; reputation and friction
figures show it.  A second run misses its deadline and ends with the refund and
a broken agreement; a third is disputed and settled by the arbiter.  Then a
project moves to a new organization and continues there.
"""

from __future__ import annotations

import hashlib
import json
import time

import pytest

from tests.cli.helpers import samen_in_process as samen   # ~100 commands: no start-up each

pytestmark = pytest.mark.node


class Story:
    """Run ``samen`` against one node with one keyring; proposals pass with two yes votes."""

    def __init__(self, node, tmp_path, keyring):
        self.node, self.tmp, self.keyring = node, tmp_path, keyring
        self.files = 0

    def tx(self, *args) -> dict:
        done = samen(["tx", *args, "--node", self.node.rpc_url, *self.keyring, "-y", "-o", "json"])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def query(self, *args):
        done = samen(["query", *args, "--node", self.node.rpc_url, "-o", "json"])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def action(self, *args) -> list:
        done = samen(["tx", *args, "--print-action"])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def decide(self, org: int, voters: tuple[str, str], *actions: list) -> None:
        """Propose ``actions`` in organization ``org``, pass the proposal with two votes, check it executed."""
        self.files += 1
        path = self.tmp / f"actions{self.files}.json"
        path.write_text(json.dumps([a for batch in actions for a in batch]))
        submitted = self.tx("org", "propose", "--from", voters[0], "--org", str(org), "--title",
                            f"decision {self.files}", "--actions-json", str(path))
        proposal = submitted["created"]["proposal"]
        self.tx("org", "vote", str(proposal), "yes", "--from", voters[0])
        self.tx("org", "vote", str(proposal), "yes", "--from", voters[1])
        assert self.query("proposal", str(proposal))["status"] == "executed"


def _people(tmp_path, keyring) -> dict:
    names = ("ann", "bo", "cas", "trainer", "rival", "judge", "dee", "eve")
    return {n: json.loads(samen(["keys", "add", n, "--unencrypted", "-o", "json", *keyring]).stdout)["address"]
            for n in names}


def _found(story, people, founder, members, name) -> tuple[int, str]:
    member_opts = [x for n in members for x in ("--member", f"{people[n]}:1")]
    story.tx("org", "create", "--from", founder, "--name", name, *member_opts, "--threshold", "2",
             "--voting-period", "1h")
    org = max(int(k) for k in range(1, 4) if _exists(story, k))
    return org, story.query("org", str(org))["treasury"]


def _exists(story, org_id) -> bool:
    done = samen(["query", "org", str(org_id), "--node", story.node.rpc_url, "-o", "json"])
    return done.returncode == 0


def test_the_first_aid_story_runs_through_a_real_node_with_the_cli(node_factory, tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "keyring")]
    people = _people(tmp_path, keyring)
    node = node_factory(accounts=[(a, 10_000) for a in people.values()]).start()
    story = Story(node, tmp_path, keyring)
    group, treasury = _found(story, people, "ann", ("ann", "bo", "cas"), "EHBO Buurt")
    story.tx("transfer", "--from", "bo", "--to", treasury, "--amount", "5000")
    voters = ("ann", "cas")

    # 1. request by proposal, two offers, acceptance by proposal, delivery, acceptance and rating by proposal
    story.decide(group, voters, story.action("request", "post", "--title", "Train 10 volunteers in first aid",
                                             "--tag", "first-aid", "--budget", "1000", "--offers-until", "+1d"))
    story.tx("offer", "make", "--from", "trainer", "--request", "1", "--price", "800", "--deadline", "+7d")
    story.tx("offer", "make", "--from", "rival", "--request", "1", "--price", "950", "--deadline", "+7d")
    story.decide(group, voters, story.action("offer", "accept", "1"))
    assert node.balance(treasury) == 4_200 and story.query("request", "1")["status"] == "accepted"
    certificate = tmp_path / "certificate.txt"
    certificate.write_text("10 volunteers certified in first aid")
    digest = hashlib.sha256(certificate.read_bytes()).hexdigest()
    story.tx("document", "publish", "--from", "trainer", "--title", "Certificates", "--media-type", "text/plain",
             "--file", str(certificate))
    story.tx("agreement", "deliver", "1", "--from", "trainer", "--delivery", digest)
    story.decide(group, voters, story.action("agreement", "accept", "1"),
                 story.action("agreement", "rate", "1", "--score", "5"))
    assert node.balance(people["trainer"]) == 10_800
    assert story.query("reputation", people["trainer"])["counts"]["rating_sum"] == 5
    assert story.query("friction", f"org/{treasury}")[0]["completed"] == 1

    _missed_deadline(story, group, voters, treasury, people)
    _dispute(story, group, voters, people)
    _project_moves(story, people, group, voters)


def _missed_deadline(story, group, voters, treasury, people):
    """Second run: the trainer misses the deadline; the group reclaims by proposal; broken."""
    story.decide(group, voters, story.action("request", "post", "--title", "Refresher course", "--tag", "first-aid",
                                             "--offers-until", "+1d"))
    story.tx("offer", "make", "--from", "trainer", "--request", "2", "--price", "300", "--deadline", "+25s")
    story.decide(group, voters, story.action("offer", "accept", "3"))
    before = story.node.balance(treasury)
    deadline = story.query("agreement", "2")["milestones"][0]["deadline"]
    time.sleep(max(0, deadline - time.time()) + 3)
    story.decide(group, voters, story.action("agreement", "reclaim", "2"))
    assert story.query("agreement", "2")["outcome"] == "broken"
    assert story.node.balance(treasury) == before + 300
    assert story.query("reputation", people["trainer"])["counts"]["broken"] == 1


def _dispute(story, group, voters, people):
    """Third run: a dispute settled by the arbiter chosen in the offer."""
    story.decide(group, voters, story.action("request", "post", "--title", "AED training", "--offers-until", "+1d"))
    story.tx("offer", "make", "--from", "rival", "--request", "3", "--price", "1000", "--deadline", "+7d",
             "--arbiter", people["judge"])
    story.decide(group, voters, story.action("offer", "accept", "4"))
    story.tx("agreement", "deliver", "3", "--from", "rival", "--delivery", "ab" * 32)
    story.decide(group, voters, story.action("agreement", "dispute", "3"))
    story.tx("agreement", "resolve", "3", "--from", "judge", "--provider-bps", "6000")
    assert story.query("agreement", "3")["outcome"] == "arbitrated"
    assert story.node.balance(people["rival"]) == 10_000 + 600 + 60   # 60 % of the amount and of the 10 % bond


def _project_moves(story, people, group, voters):
    """A project with an open request moves to a new organization and continues there."""
    second, second_treasury = _found(story, people, "dee", ("dee", "eve", "bo"), "EHBO Centrum")
    story.decide(group, voters, story.action("project", "create", "--title", "Volunteer training", "--budget", "1500"))
    story.decide(group, voters, story.action("request", "post", "--title", "Train the trainers", "--project", "1",
                                             "--offers-until", "+1d"),
                 story.action("project", "offer", "1", "--to", second_treasury, "--expires", "+1h"))
    story.decide(second, ("dee", "eve"), story.action("project", "accept", "1"))
    moved = story.query("project", "1")
    assert moved["project"]["owner"] == second_treasury and moved["open_requests"] == [4]
    story.tx("offer", "make", "--from", "trainer", "--request", "4", "--price", "700", "--deadline", "+7d")
    story.decide(second, ("dee", "eve"), story.action("offer", "accept", "5"))
    assert story.query("agreement", "4")["requester"] == second_treasury
    assert story.query("project", "1")["project"]["budget"] == 800
    assert [e["kind"] for e in story.query("project", "1", "--history")][-2:] == ["transferred", "agreement_made"]
