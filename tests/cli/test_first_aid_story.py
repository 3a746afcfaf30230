"""The story beyond the README, end to end through a real node with the CLI.

A neighbourhood first-aid group of three decides by proposal (the README's
story, run by ``tests/cli/test_readme_runs.py``, covers the request, offers,
acceptance, delivery, payment and rating).  Here a run misses its deadline and
ends with the refund and a broken agreement; a second is disputed and settled by
the arbiter; then a project moves to a new organization and continues there.
"""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import samen_in_process as samen   # ~100 commands: no start-up each
from tests.support.waits import wait_for_block_time_after

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

    # The happy path (request, offer, acceptance, delivery, payment and rating by proposal) is the README's
    # story, run as written by tests/cli/test_readme_runs.py; this story goes on where that one stops.
    deadline = _agree_on_a_deadline(story, group, voters)
    _dispute(story, group, voters, people)          # the other runs go on while the deadline comes
    _project_moves(story, people, group, voters)
    _missed_deadline(story, group, voters, treasury, people, deadline)


def _agree_on_a_deadline(story, group, voters) -> int:
    """Second run, first half: the group accepts the trainer's offer due in 25 s; returns the deadline."""
    story.decide(group, voters, story.action("request", "post", "--title", "Refresher course", "--tag", "first-aid",
                                             "--offers-until", "+1d"))
    story.tx("offer", "make", "--from", "trainer", "--request", "1", "--price", "300", "--deadline", "+25s")
    story.decide(group, voters, story.action("offer", "accept", "1"))
    return story.query("agreement", "1")["milestones"][0]["deadline"]


def _missed_deadline(story, group, voters, treasury, people, deadline: int):
    """Second run, end: the trainer missed the deadline; once a block is past it the group reclaims; broken."""
    before = story.node.balance(treasury)
    wait_for_block_time_after(story.node.rpc, deadline, timeout=60)
    story.decide(group, voters, story.action("agreement", "reclaim", "1"))
    assert story.query("agreement", "1")["outcome"] == "broken"
    assert story.node.balance(treasury) == before + 300
    assert story.query("reputation", people["trainer"])["counts"]["broken"] == 1


def _dispute(story, group, voters, people):
    """Third run: a dispute settled by the arbiter chosen in the offer."""
    story.decide(group, voters, story.action("request", "post", "--title", "AED training", "--offers-until", "+1d"))
    story.tx("offer", "make", "--from", "rival", "--request", "2", "--price", "1000", "--deadline", "+7d",
             "--arbiter", people["judge"])
    story.decide(group, voters, story.action("offer", "accept", "2"))
    story.tx("agreement", "deliver", "2", "--from", "rival", "--delivery", "ab" * 32)
    story.decide(group, voters, story.action("agreement", "dispute", "2"))
    story.tx("agreement", "resolve", "2", "--from", "judge", "--provider-bps", "6000")
    assert story.query("agreement", "2")["outcome"] == "arbitrated"
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
    assert moved["project"]["owner"] == second_treasury and moved["open_requests"] == [3]
    story.tx("offer", "make", "--from", "trainer", "--request", "3", "--price", "700", "--deadline", "+7d")
    story.decide(second, ("dee", "eve"), story.action("offer", "accept", "3"))
    assert story.query("agreement", "3")["requester"] == second_treasury
    assert story.query("project", "1")["project"]["budget"] == 800
    assert [e["kind"] for e in story.query("project", "1", "--history")][-2:] == ["transferred", "agreement_made"]
