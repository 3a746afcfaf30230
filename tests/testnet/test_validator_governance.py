"""Validator-set governance in-process: genesis, UpdateValidator via proposals, the safe-set rules,
FinalizeBlock's ``validator_updates`` and recorded misbehavior."""

from __future__ import annotations

import base64
import json

import pytest

from abci_app.adapter.app import LedgerApp
from abci_app.chain.domain.organizations.messages import PERCENTAGE, OrgPolicy
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.validators.events import ValidatorMisbehavior
from abci_app.chain.domain.validators.genesis import ValidatorsGenesisError
from abci_app.chain.domain.validators.messages import UpdateValidator
from abci_app.adapter.storage.store import Store
from tests.support.chain import TestChain, key, ok
from abci_app.chain import errors
from tests.support.rejections import assert_rejected

OPERATORS = [key(n) for n in (11, 12, 13, 14)]
CONSENSUS = [bytes([n]) * 32 for n in (21, 22, 23, 24)]
NEW_KEY = bytes([25]) * 32
POLICY = OrgPolicy(kind=PERCENTAGE, threshold=6667, voting_period=600, min_delay=0)


def validators_section(powers=(10, 10, 10, 10), min_validators: int = 1) -> dict:
    return {"organization": {"name": "network", "members": [{"address": o.address, "weight": 1} for o in OPERATORS],
                             "policy": {"kind": POLICY.kind, "threshold": POLICY.threshold,
                                        "voting_period": POLICY.voting_period, "min_delay": 0}},
            "validators": [{"pub_key": base64.b64encode(k).decode(), "power": p} for k, p in zip(CONSENSUS, powers)],
            "min_validators": min_validators}


@pytest.fixture
def net(tmp_path):
    chain = TestChain(tmp_path / "db", balances={o: 1_000_000 for o in OPERATORS},
                      extra_genesis={"validators": validators_section()})
    yield chain
    chain.close()


def query(chain, path: str):
    return json.loads(chain.app.query(path, b"").value)


def govern(chain, *updates: UpdateValidator):
    """Submit a proposal of the network organization with ``updates``; three of four vote yes.

    Returns the result of the block in which the proposal passed and executed.
    """
    org_id = query(chain, "/validators")["org_id"]
    submitted = ok(chain.block(chain.tx(OPERATORS[0], SubmitProposal(org_id, "validators", "", tuple(updates)))))
    proposal_id = next(e.proposal_id for e in submitted.txs[0].events if e.TYPE == "proposal_submitted")
    votes = [chain.tx(o, Vote(proposal_id, YES)) for o in OPERATORS[:3]]
    return ok(chain.block(*votes))


def test_genesis_founds_the_network_organization_and_records_the_initial_set(net):
    doc = query(net, "/validators")
    assert doc["org_id"] == 1
    assert [v["power"] for v in doc["validators"]] == [10, 10, 10, 10]
    org = json.loads(net.app.query("/org/1", b"").value)
    assert len(org["members"]) == 4


def test_a_passed_proposal_adds_a_validator_and_finalize_block_returns_the_update(net):
    result = govern(net, UpdateValidator(NEW_KEY, 5))
    assert result.validator_updates == [(NEW_KEY, 5)]
    assert {v["power"] for v in query(net, "/validators")["validators"]} == {10, 5}
    assert len(query(net, "/validators")["validators"]) == 5
    assert net.block().validator_updates == []   # reported once, in the executing block only


def test_changing_power_and_removing_a_validator_are_reported_with_the_new_power(net):
    assert govern(net, UpdateValidator(CONSENSUS[1], 12)).validator_updates == [(CONSENSUS[1], 12)]
    assert govern(net, UpdateValidator(CONSENSUS[3], 0)).validator_updates == [(CONSENSUS[3], 0)]
    powers = [v["power"] for v in query(net, "/validators")["validators"]]
    assert sorted(powers) == [10, 10, 12]


def test_only_the_network_organization_may_update_a_validator(net):
    result = net.block(net.tx(OPERATORS[0], UpdateValidator(NEW_KEY, 5)))
    assert_rejected(result.txs[0], errors.NotTheNetworkOrganization)
    assert result.validator_updates == []


def test_moving_a_third_or_more_of_the_power_in_one_block_fails_the_proposal(net):
    result = govern(net, UpdateValidator(CONSENSUS[0], 0), UpdateValidator(CONSENSUS[1], 6))   # 14 of 40 >= 1/3
    assert result.validator_updates == []
    assert [v["power"] for v in query(net, "/validators")["validators"]] == [10, 10, 10, 10]


def test_the_set_never_drops_below_min_validators(tmp_path):
    chain = TestChain(tmp_path / "db", balances={o: 1_000_000 for o in OPERATORS},
                      extra_genesis={"validators": validators_section(min_validators=4)})
    try:
        assert govern(chain, UpdateValidator(CONSENSUS[0], 0)).validator_updates == []
        assert len(query(chain, "/validators")["validators"]) == 4
    finally:
        chain.close()


def test_removing_a_key_that_is_not_a_validator_is_rejected_and_bad_keys_never_reach_state(net):
    assert govern(net, UpdateValidator(NEW_KEY, 0)).validator_updates == []
    submitted = net.block(net.tx(OPERATORS[0], SubmitProposal(1, "bad key", "", (UpdateValidator(b"short", 5),))))
    assert_rejected(submitted.txs[0], errors.InvalidValidatorUpdate)
    assert len(query(net, "/validators")["validators"]) == 4


def test_misbehavior_reported_by_finalize_block_is_recorded_and_emitted(net):
    item = ValidatorMisbehavior("duplicate_vote", b"\x07" * 20, 10, 3, 1_700_000_000)
    result = net.app.finalize_block(net.height + 1, net.time + 5, b"\x01" * 20, [], b"", (item,))
    net.app.commit()
    assert item in result.events
    assert query(net, "/validators/misbehavior") == [
        {"kind": "duplicate_vote", "validator": "07" * 20, "power": 10, "height": 3, "time": 1_700_000_000}]


@pytest.mark.parametrize("section", [
    {"validators": []},
    {"validators": [{"pub_key": "AAAA", "power": 10}]},
    {"validators": [{"pub_key": base64.b64encode(CONSENSUS[0]).decode(), "power": 0}]},
    {"validators": [{"pub_key": base64.b64encode(CONSENSUS[0]).decode(), "power": 1}], "min_validators": 2},
])
def test_an_invalid_validators_section_stops_genesis(tmp_path, section):
    full = validators_section()
    full.update(section)
    with pytest.raises(ValidatorsGenesisError):
        TestChain(tmp_path / "db", extra_genesis={"validators": full})


def test_genesis_validators_equal_to_cometbfts_start_the_chain(tmp_path):
    app = LedgerApp(Store(tmp_path / "db"))
    doc = json.dumps({"accounts": [], "validators": validators_section()}).encode()
    consensus = [(k, 10) for k in reversed(CONSENSUS)]     # order does not matter
    assert len(app.init_chain("samen-test", doc, 1, consensus)) == 32


@pytest.mark.parametrize("consensus", [
    [(k, 10) for k in CONSENSUS[:3]],                          # one validator missing
    [(k, 10 if k != CONSENSUS[0] else 11) for k in CONSENSUS],  # another power
    [(k, 10) for k in CONSENSUS[:3]] + [(NEW_KEY, 10)],        # another key
])
def test_genesis_validators_that_differ_from_cometbfts_stop_the_node_with_both_sets_named(tmp_path, consensus):
    app = LedgerApp(Store(tmp_path / "db"))
    doc = json.dumps({"accounts": [], "validators": validators_section()}).encode()
    with pytest.raises(ValidatorsGenesisError, match=r"genesis.json has \[.*\], the section has \[.*\]"):
        app.init_chain("samen-test", doc, 1, consensus)


def test_without_a_validators_section_any_cometbft_set_is_accepted(tmp_path):
    app = LedgerApp(Store(tmp_path / "db"))
    assert len(app.init_chain("samen-test", b'{"accounts": []}', 1, [(NEW_KEY, 7)])) == 32
