"""Validator handlers and their end-block hook, pure: against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain import addresses, errors
from abci_app.chain.context import ValidatorUpdates
from abci_app.chain.domain.accounts import keys as account_keys
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.validators import handlers as validators
from abci_app.chain.domain.validators import keys as val_keys
from abci_app.chain.domain.validators import state as vals
from abci_app.chain.domain.validators.messages import SpendCommunityPool, UpdateValidator
from tests.support.chain import key
from tests.support.pure import PureChain, network_genesis

ANN, BO = key(1), key(2)
V1, V2, V3, NEW = (bytes([n]) * 32 for n in (1, 2, 3, 4))


def network() -> tuple[PureChain, str]:
    """A chain governed by ANN and BO's network organization, three validators of power 10; its treasury."""
    world = PureChain({ANN: 1_000}, network_genesis((ANN, BO), {V1: 10, V2: 10, V3: 10}))
    return world, orgs.require(world.state, vals.network_org(world.state)).treasury


def test_a_new_validator_is_added_to_the_set_and_queued_as_the_blocks_update():
    world, treasury = network()
    changed = world.changes(treasury, UpdateValidator(NEW, 5))
    assert set(changed) == {val_keys.member(NEW), val_keys.pending(NEW)}
    assert vals.power(world.state, NEW) == 5


def test_the_end_block_hook_hands_the_blocks_updates_over_and_clears_the_queue():
    world, treasury = network()
    world.run(treasury, UpdateValidator(NEW, 5))
    events = validators.end_block(world.state, world.block())
    assert events == [ValidatorUpdates(((NEW, 5),))]
    assert vals.pending(world.state) == []
    assert validators.end_block(world.state, world.block()) == [ValidatorUpdates(())]


def test_only_the_network_organization_changes_the_set_and_never_a_third_of_its_power_at_once():
    world, treasury = network()
    world.rejects(ANN, UpdateValidator(NEW, 5), errors.NotTheNetworkOrganization)
    world.rejects(treasury, UpdateValidator(V1, 0), errors.UnsafeValidatorSet)     # 10 of 30 is a third
    world.rejects(treasury, UpdateValidator(NEW, 0), errors.InvalidValidatorUpdate)


def test_the_network_organization_spends_the_community_pool_and_no_more_than_it_holds():
    world, treasury = network()
    world.run(ANN, Transfer(addresses.COMMUNITY_POOL, 300))
    changed = world.changes(treasury, SpendCommunityPool(BO.address, 100, "grant"))
    assert set(changed) == {account_keys.account(addresses.COMMUNITY_POOL), account_keys.account(BO.address)}
    assert accounts.balance(world.state, BO.address) == 100
    world.rejects(treasury, SpendCommunityPool(BO.address, 10_000, ""), errors.InsufficientFunds)
