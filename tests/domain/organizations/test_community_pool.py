"""The community pool is spent only by proposals of the network organization; market params change the same way."""

from __future__ import annotations

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import LeaveOrganization, SweepTreasury
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal
from abci_app.chain.domain.validators.messages import MarketParamChange, SpendCommunityPool, UpdateMarketParams
from tests.domain.organizations.support import (VOTING_PERIOD, advance, assert_ok, code, create_org, propose, send,
                                                threshold, vote)
from tests.support import exits
from tests.support.chain import TestChain
from abci_app.chain import errors
from tests.support.rejections import assert_rejected, pair

NETWORK = 1


def fill_pool(chain, donor, amount: int) -> None:
    """Put ``amount`` into the community pool the ordinary way: a treasury dissolves into it."""
    org_id = create_org(chain, donor, {donor: 1}, threshold(1), name="short-lived")
    assert_ok(send(chain, donor, Transfer(orgs.treasury_address(org_id), amount)))
    assert_ok(send(chain, donor, LeaveOrganization(org_id)))


def run(chain, proposer, org_id: int, *actions):
    """Submit a proposal of ``actions`` (passes at once with threshold 1), let it run; return it."""
    proposal_id = propose(chain, proposer, org_id, *actions)
    assert_ok(vote(chain, proposer, proposal_id, YES))
    advance(chain, VOTING_PERIOD + 30)
    return proposals.require(chain.state, proposal_id)


def test_a_network_organization_proposal_spends_the_pool_and_leaves_nothing_locked(netchain, people):
    validator, carol = people[0], people[2]
    fill_pool(netchain, carol, 900)
    assert exits.locked_value(netchain.state, netchain.time) == []
    before = accounts.balance(netchain.state, carol.address)
    done = run(netchain, validator, NETWORK, SpendCommunityPool(carol.address, 600, "refund of a mistake"))
    assert done.status == "executed"
    assert accounts.balance(netchain.state, carol.address) == before + 600
    assert accounts.balance(netchain.state, addresses.COMMUNITY_POOL) == 300


def test_nobody_else_may_spend_the_pool(netchain, people):
    validator, carol = people[0], people[2]
    fill_pool(netchain, carol, 900)
    assert_rejected(send(netchain, carol, SpendCommunityPool(carol.address, 1)), errors.NotTheNetworkOrganization)
    other = create_org(netchain, carol, {carol: 1}, threshold(1), name="not the network")
    done = run(netchain, carol, other, SpendCommunityPool(carol.address, 1))
    assert (done.status, done.result_codespace, done.result_code) == ("failed", "validators", 3)
    assert accounts.balance(netchain.state, addresses.COMMUNITY_POOL) == 900


def test_spending_more_than_the_pool_holds_fails_and_changes_nothing(netchain, people):
    validator, carol = people[0], people[2]
    fill_pool(netchain, carol, 100)
    done = run(netchain, validator, NETWORK, SpendCommunityPool(carol.address, 101))
    assert (done.status, done.result_codespace, done.result_code) == ("failed", "accounts", 4)
    assert accounts.balance(netchain.state, addresses.COMMUNITY_POOL) == 100


def test_a_bad_spend_is_refused_before_it_becomes_a_proposal(netchain, people):
    validator = people[0]
    bad = SubmitProposal(NETWORK, "spend", "", (SpendCommunityPool("samen1nope", 5),))
    assert_rejected(send(netchain, validator, bad), errors.InvalidAddress)
    zero = SubmitProposal(NETWORK, "spend", "", (SpendCommunityPool(validator.address, 0),))
    assert_rejected(send(netchain, validator, zero), errors.ZeroAmount)


def test_the_network_organization_updates_market_params_by_proposal(netchain, people):
    validator = people[0]
    change = UpdateMarketParams((MarketParamChange("max_due_per_block", 7), MarketParamChange("review_window", 3600)))
    assert run(netchain, validator, NETWORK, change).status == "executed"
    updated = market_params.get(netchain.state)
    assert (updated.max_due_per_block, updated.review_window) == (7, 3600)
    assert updated.reclaim_window == market_params.MarketParams().reclaim_window


def test_bad_market_param_updates_are_refused_with_their_own_code(netchain, people):
    validator = people[0]
    for changes in ((MarketParamChange("no_such_param", 1),), (), (MarketParamChange("review_window", 5),) * 2):
        outcome = send(netchain, validator, SubmitProposal(NETWORK, "params", "", (UpdateMarketParams(changes),)))
        assert code(outcome) == pair(errors.InvalidMarketParams), changes
    done = run(netchain, validator, NETWORK, UpdateMarketParams((MarketParamChange("dispute_bond_bps", 10_001),)))
    assert (done.status, done.result_codespace, done.result_code) == ("failed", "validators", 50)
    assert code(send(netchain, validator, UpdateMarketParams((MarketParamChange("review_window", 5),)))) == \
        pair(errors.NotTheNetworkOrganization)


def test_without_a_network_organization_the_checker_reports_the_pool(tmp_path, people):
    chain = TestChain(tmp_path / "plain", balances={p: 100_000 for p in people})
    try:
        fill_pool(chain, people[0], 50)
        assert [(x.place, x.amount) for x in exits.locked_value(chain.state, chain.time)] == [("community pool", 50)]
        assert_rejected(send(chain, people[0], SweepTreasury(1)), errors.NothingToSweep)
    finally:
        chain.close()
