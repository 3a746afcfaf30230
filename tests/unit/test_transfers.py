"""Transfers through the in-process chain: the first module end to end."""

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from tests.support.chain import ok


def test_transfer_moves_funds_and_bumps_the_sequence(chain, alice, bob):
    ok(chain.block(chain.tx(alice, Transfer(bob.address, 250, "thanks"))))
    assert accounts.balance(chain.state, bob.address) == 1_250
    assert accounts.get(chain.state, alice.address).sequence == 1


def test_total_supply_is_conserved_by_transfers(chain, alice, bob):
    chain.block(chain.tx(alice, Transfer(bob.address, 7)), chain.tx(bob, Transfer(alice.address, 3)))
    total = sum(a.balance for _, a in accounts.all_accounts(chain.state))
    assert total == accounts.supply(chain.state) == 1_001_000
