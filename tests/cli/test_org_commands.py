"""``samen tx org …`` and ``samen query org|proposal|proposals``."""

from __future__ import annotations

import json

import pytest

from abci_app.tools.cli import orgs as org_cli
from abci_app.tools.cli.common import CliError
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations.messages import GrantFeeAllowance, UpdateMembers, UpdatePolicy
from abci_app.chain.domain.validators.messages import MarketParamChange, SpendCommunityPool, UpdateMarketParams
from tests.cli.helpers import invoke
from tests.cli.helpers import samen_in_process as samen   # ~30 commands against the nodes: no start-up each
from tests.support.chain import key

PASS = {"SAMEN_PASSPHRASE": "e2e passphrase"}
A, B = key(31).address, key(32).address


def test_every_org_command_is_registered():
    for command in ("create", "propose", "vote", "withdraw", "leave", "sweep"):
        assert invoke(["tx", "org", command, "--help"]).exit_code == 0, command
    for command in ("org", "proposal", "proposals", "organizations"):
        assert invoke(["query", command, "--help"]).exit_code == 0, command


def test_bad_input_is_refused_locally_before_any_key_is_opened(tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "nokeys")]
    weight = invoke(["tx", "org", "create", "--from", "x", "--name", "g", "--member", f"{A}:0", *keyring])
    assert weight.exit_code == 2 and "(organizations/3)" in weight.output
    kind = invoke(["tx", "org", "create", "--from", "x", "--name", "g", "--member", f"{A}:1", "--policy", "vote",
                   *keyring])
    assert kind.exit_code == 2 and "--policy: must be one of" in kind.output
    empty = invoke(["tx", "org", "propose", "--from", "x", "--org", "1", "--title", "t", *keyring])
    assert empty.exit_code == 2 and "(proposals/3)" in empty.output
    choice = invoke(["tx", "org", "vote", "1", "maybe", "--from", "x", *keyring])
    assert choice.exit_code == 2 and "CHOICE: must be yes, no or abstain" in choice.output


def test_proposal_actions_come_from_shorthands_and_a_json_file(tmp_path):
    actions = tmp_path / "actions.json"
    actions.write_text(json.dumps([{"kind": "update_policy", "msg": {"org_id": 3, "policy": {
        "kind": 3, "threshold": 2, "voting_period": 600, "min_delay": 0, "exit_right": True}}}]))
    msg = org_cli.propose(3, "spend", "", [f"{B}:250:first aid"], [f"{A}:0"], [f"{B}:40:1900000000"], None,
                          actions)
    assert msg.actions == (Transfer(B, 250, "first aid"), UpdateMembers(3, (org_cli.om.OrgMember(A, 0),)),
                           GrantFeeAllowance(3, B, 40, 1_900_000_000),
                           UpdatePolicy(3, org_cli.om.OrgPolicy(3, 2, 600, 0, True)))
    with pytest.raises(CliError):
        org_cli.propose(3, "t", "", ["only-an-address"], None, None, None, None)
    assert org_cli.duration("3d", "x") == 259_200 and org_cli.duration("90", "x") == 90


def test_the_network_organization_proposes_pool_spending_and_market_params_with_flags():
    msg = org_cli.propose(1, "grants", "", None, None, None, None, None, [f"{B}:500:grant", f"{A}:7"],
                          ["review_window=3600", "max_due_per_block = 64"])
    assert msg.actions == (SpendCommunityPool(B, 500, "grant"), SpendCommunityPool(A, 7, ""),
                           UpdateMarketParams((MarketParamChange("review_window", 3600),
                                               MarketParamChange("max_due_per_block", 64))))
    with pytest.raises(CliError):
        org_cli.propose(1, "t", "", None, None, None, None, None, None, ["review_window=soon"])
    spend = invoke(["tx", "org", "propose", "--org", "1", "--title", "t", "--spend-pool", f"{B}:5", "--print-action"])
    assert spend.exit_code == 0 and '"spend_community_pool"' in spend.output


@pytest.mark.node
def test_an_organization_decides_and_pays_through_a_real_node(node_factory, tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "keyring")]
    people = {n: json.loads(samen(["keys", "add", n, "--unencrypted", "-o", "json", *keyring]).stdout)["address"]
              for n in ("ann", "bo", "cas", "trainer")}
    node = node_factory(accounts=[(a, 1_000) for a in people.values()]).start()
    target = ["--node", node.rpc_url, *keyring, "-y", "-o", "json"]

    def tx(*args):
        done = samen(["tx", *args, *target])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def query(*args):
        done = samen(["query", *args, "--node", node.rpc_url, "-o", "json"])
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    members = [x for n in ("ann", "bo", "cas") for x in ("--member", f"{people[n]}:1")]
    tx("org", "create", "--from", "ann", "--name", "EHBO Buurt", *members, "--threshold", "2",
       "--voting-period", "1h")
    treasury = query("org", "1")["treasury"]
    tx("transfer", "--from", "bo", "--to", treasury, "--amount", "600")
    tx("org", "propose", "--from", "ann", "--org", "1", "--title", "Pay the trainer",
       "--transfer", f"{people['trainer']}:400:first aid training")
    tx("org", "vote", "1", "yes", "--from", "ann")
    decided = tx("org", "vote", "1", "yes", "--from", "cas", "--reason", "good trainer")
    assert query("proposal", "1")["status"] == "executed"      # no delay: runs in the deciding block
    assert node.balance(people["trainer"]) == 1_400
    assert "proposal 1 passed (yes 2, no 0, abstain 0)" in decided["effects"]
    assert decided["effects"][-2:] == [f"400 moved from {treasury} to {people['trainer']}",
                                       "proposal 1 executed its actions"]
    again = samen(["tx", "org", "vote", "1", "no", "--from", "bo", *target])
    assert again.returncode == 3 and "(proposals/6)" in again.stderr

    # A newcomer without an account acts with --fee-payer: the treasury's allowance pays the fee.
    newcomer = json.loads(samen(["keys", "add", "newcomer", "--unencrypted", "-o", "json", *keyring]).stdout)["address"]
    tx("org", "propose", "--from", "ann", "--org", "1", "--title", "Sponsor a newcomer", "--grant", f"{newcomer}:50:+7d")
    tx("org", "vote", "2", "yes", "--from", "ann")
    tx("org", "vote", "2", "yes", "--from", "cas")
    pool_before = node.balance(treasury)
    tx("document", "publish", "--from", "newcomer", "--title", "First aid checklist", "--media-type", "text/plain",
       "--hash", "ab" * 32, "--fee", "5", "--fee-payer", treasury)
    assert node.balance(treasury) == pool_before - 5 and node.balance(newcomer) == 0
    unsponsored = samen(["tx", "document", "publish", "--from", "newcomer", "--title", "Again", "--media-type",
                         "text/plain", "--hash", "cd" * 32, "--fee", "5", *target])
    assert unsponsored.returncode == 3 and "cannot pay fee 5" in unsponsored.stderr   # its own balance is 0


def found_network_organization(node, operator: str) -> None:
    """Give the node's genesis a network organization of ``operator`` (threshold 1) over its own validator key."""
    path = node.home / "config" / "genesis.json"
    doc = json.loads(path.read_text())
    validators = [{"pub_key": v["pub_key"]["value"], "power": int(v["power"])} for v in doc["validators"]]
    doc["app_state"]["validators"] = {
        "organization": {"name": "network", "members": [{"address": operator, "weight": 1}],
                         "policy": {"kind": 1, "threshold": 1, "voting_period": 3600, "min_delay": 0}},
        "validators": validators}
    path.write_text(json.dumps(doc, indent=2) + "\n")


@pytest.mark.node
def test_the_network_organization_spends_the_community_pool_through_a_real_node(node_factory, tmp_path):
    keyring = ["--keyring-dir", str(tmp_path / "keyring")]
    people = {n: json.loads(samen(["keys", "add", n, "--unencrypted", "-o", "json", *keyring]).stdout)["address"]
              for n in ("operator", "donor", "school")}
    node = node_factory(accounts=[(a, 1_000) for a in people.values()])
    found_network_organization(node, people["operator"])
    node.start()
    target = ["--node", node.rpc_url, *keyring, "-y", "-o", "json"]

    def tx(*args):
        done = samen(["tx", *args, *target])
        assert done.returncode == 0, done.stderr
        return done

    tx("org", "create", "--from", "donor", "--name", "Short-lived", "--member", f"{people['donor']}:1")
    treasury = json.loads(samen(["query", "org", "2", "--node", node.rpc_url, "-o", "json"]).stdout)["treasury"]
    tx("transfer", "--from", "donor", "--to", treasury, "--amount", "400")
    tx("org", "leave", "2", "--from", "donor")                      # dissolved: its 400 go to the community pool
    tx("org", "propose", "--from", "operator", "--org", "1", "--title", "Grant for the school",
       "--spend-pool", f"{people['school']}:300:first aid course", "--market-param", "max_due_per_block=64")
    tx("org", "vote", "1", "yes", "--from", "operator")             # threshold 1: passes and runs in this block
    proposal = json.loads(samen(["query", "proposal", "1", "--node", node.rpc_url, "-o", "json"]).stdout)
    assert proposal["status"] == "executed", proposal
    assert node.balance(people["school"]) == 1_300
