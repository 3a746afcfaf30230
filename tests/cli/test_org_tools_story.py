"""The organization tools, end to end through one real node with the CLI.

A cooperative of four: two members lend their votes to Ann (one only for
"finance" proposals) and her vote carries their weight; the cooperative grants
Cas a coordinator role that accepts a trainer's offer within its budget and is
refused beyond it; it pays the trainer every period by a stream the trainer
claims; and it runs a neighbourhood sub-organization whose payment it vetoes once.
(A "month" is five seconds here, so the stream pays while the test runs.)
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tests.cli.helpers import samen_in_process as samen
from tests.cli.test_first_aid_story import Story
from tests.support.waits import wait_for_block_time_after

pytestmark = pytest.mark.node
NAMES = ("ann", "bo", "cas", "dee", "nel", "trainer", "rival")
SCHEMAS = Path(__file__).resolve().parents[2] / "docs" / "cli-schemas"


def conforms(answer, schema: str):
    """``answer`` matches its committed ``-o json`` schema (docs/cli-schemas); return it."""
    jsonschema.validate(answer, json.loads((SCHEMAS / f"{schema}.json").read_text()))
    return answer


def _people(keyring) -> dict:
    return {n: json.loads(samen(["keys", "add", n, "--unencrypted", "-o", "json", *keyring]).stdout)["address"]
            for n in NAMES}


def _file(story, name: str, actions: list) -> str:
    path = story.tmp / name
    path.write_text(json.dumps(actions))
    return str(path)


def test_a_cooperative_delegates_grants_a_role_streams_and_vetoes_its_sub_organization(node_factory, tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "keyring")]
    people = _people(keyring)
    node = node_factory(accounts=[(a, 10_000) for a in people.values()]).start()
    story = Story(node, tmp_path, keyring)
    members = [x for n in ("ann", "bo", "cas", "dee") for x in ("--member", f"{people[n]}:1")]
    story.tx("org", "create", "--from", "ann", "--name", "Coop", *members, "--threshold", "2",
             "--voting-period", "1h")
    treasury = story.query("org", "1")["treasury"]
    story.tx("transfer", "--from", "bo", "--to", treasury, "--amount", "5000")
    voters = ("ann", "bo")
    _delegation(story, people)
    _role(story, people, voters, treasury)
    stream = _stream(story, people, voters, treasury)
    _sub_organization(story, people, voters, treasury)   # while the stream pays
    _claim(story, people, stream)


def _delegation(story, people):
    """Dee lends Ann her vote; Cas only for finance.  Ann's one vote on a finance proposal counts three."""
    story.tx("delegate", "set", "--from", "dee", "--org", "1", "--to", people["ann"])
    story.tx("delegate", "set", "--from", "cas", "--org", "1", "--to", people["ann"], "--tag", "finance")
    story.tx("org", "propose", "--from", "bo", "--org", "1", "--title", "Budget 2027", "--tag", "finance",
             "--transfer", f"{people['bo']}:1")
    story.tx("org", "vote", "1", "yes", "--from", "ann")
    proposal = story.query("proposal", "1")
    assert (proposal["yes"], proposal["status"]) == (3, "voting")   # backers may still vote themselves
    snapshot = conforms(story.query("delegation-snapshot", "1"), "delegation-snapshot")
    assert {p["voter"]: p["via"] for p in snapshot["paths"]}[people["cas"]] == [people["ann"]]
    backers = conforms(story.query("delegations", "1", people["ann"], "--backers"), "delegations")
    assert {d["delegator"] for d in backers} == {
        people["cas"], people["dee"]}
    every = conforms(story.query("delegations", "1"), "delegations")           # who votes for whom, whole org
    assert {(d["delegator"], d["tag"]) for d in every} == {(people["dee"], ""), (people["cas"], "finance")}
    voters = conforms(story.query("proposal", "1", "--voters"), "proposal-voters")
    assert sorted(v["address"] for v in voters) == sorted(people[n] for n in ("ann", "bo", "cas", "dee"))
    story.tx("org", "vote", "1", "yes", "--from", "bo")
    assert story.query("proposal", "1")["status"] == "executed"


def _role(story, people, voters, treasury):
    """Cas coordinates: posts a request and accepts an offer within 500 a month, without a vote; 550 is refused."""
    story.decide(1, voters, story.action("role", "grant", "--org", "1", "--name", "coordinator",
                                         "--holder", people["cas"], "--kind", "post_request", "--kind",
                                         "accept_offer", "--limit", "500", "--every", "30d", "--expires", "+30d"))
    post = _file(story, "post.json", story.action("request", "post", "--title", "First aid training",
                                                  "--budget", "500", "--offers-until", "+1d"))
    story.tx("role", "act", "--from", "cas", "--org", "1", "--name", "coordinator", "--action-json", post)
    story.tx("offer", "make", "--from", "trainer", "--request", "1", "--price", "450", "--deadline", "+7d")
    story.tx("offer", "make", "--from", "rival", "--request", "1", "--price", "100", "--deadline", "+7d")
    accept = _file(story, "accept.json", story.action("offer", "accept", "1"))
    story.tx("role", "act", "--from", "cas", "--org", "1", "--name", "coordinator", "--action-json", accept)
    assert story.node.balance(treasury) == 5_000 - 1 - 450
    role = conforms(story.query("roles", "1", "coordinator"), "role")
    assert (role["spent"], role["uses"]) == (450, 2)
    post = _file(story, "post2.json", story.action("request", "post", "--title", "Refresher", "--offers-until", "+1d"))
    story.tx("role", "act", "--from", "cas", "--org", "1", "--name", "coordinator", "--action-json", post)
    story.tx("offer", "make", "--from", "rival", "--request", "2", "--price", "100", "--deadline", "+7d")
    over = samen(["tx", "role", "act", "--from", "cas", "--org", "1", "--name", "coordinator", "--action-json",
                  _file(story, "accept2.json", story.action("offer", "accept", "3")), "--node",
                  story.node.rpc_url, *story.keyring, "-y", "-o", "json"])
    assert over.returncode != 0 and "roles/7" in over.stderr, over.stderr


def _stream(story, people, voters, treasury) -> dict:
    """The cooperative pays the trainer 100 every period (a five-second month) up to 300; returns the stream."""
    story.decide(1, voters, story.action("stream", "create", "--to", people["trainer"], "--amount", "100",
                                         "--every", "5s", "--total", "300"))
    stream = conforms(story.query("streams", treasury), "streams")[0]
    assert stream["total"] == 300 and story.query("streams", treasury, "--recurring")["per_30_days"] == 100 * 518_400
    return stream


def _claim(story, people, stream):
    """Once a block is two periods past the stream's start, the trainer pulls what is due: 200, or all 300."""
    wait_for_block_time_after(story.node.rpc, stream["start"] + 10, timeout=60)
    before = story.node.balance(people["trainer"])
    story.tx("stream", "claim", str(stream["id"]), "--from", "trainer")
    paid = story.node.balance(people["trainer"]) - before
    assert paid in (200, 300) and story.query("stream", str(stream["id"]))["claimed"] == paid


def _sub_organization(story, people, voters, treasury):
    """Buurt Noord gets 1,000; its payment of 600 waits out the hour-long veto window and the parent vetoes it."""
    story.decide(1, voters, story.action("suborg", "create", "--parent", "1", "--name", "Buurt Noord",
                                         "--member", f"{people['nel']}:1", "--budget", "1000",
                                         "--veto-window", "1h"))
    child = conforms(story.query("suborgs", "1"), "suborgs")[0]["org_id"]
    child_treasury = story.query("org", str(child))["treasury"]
    assert story.node.balance(child_treasury) == 1_000
    submitted = story.tx("org", "propose", "--from", "nel", "--org", str(child), "--title", "Street party",
                         "--transfer", f"{people['nel']}:600")
    proposal = submitted["created"]["proposal"]
    story.tx("org", "vote", str(proposal), "yes", "--from", "nel")
    assert story.query("proposal", str(proposal))["status"] == "passed"
    story.decide(1, voters, story.action("suborg", "veto", str(proposal), "--reason", "over the street budget"))
    assert story.query("proposal", str(proposal))["status"] == "vetoed"
    assert story.node.balance(child_treasury) == 1_000
