"""Typed state access for accounts: balances and sequences.

Amounts are integers in ``[0, MAX_AMOUNT]``; a balance never goes negative and
never exceeds ``MAX_AMOUNT`` (total supply is capped there at genesis).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from abci_app.chain import codec
from abci_app.chain.domain.accounts import keys
from abci_app.chain.errors import InsufficientFunds
from abci_app.chain.state.protocols import StateRead, StateWrite

MAX_AMOUNT = (1 << 63) - 1


@dataclass(frozen=True, slots=True)
class Account:
    balance: int = 0
    sequence: int = 0


def get(state: StateRead, address: str) -> Account | None:
    raw = state.get(keys.account(address))
    return None if raw is None else codec.decode_value(Account, raw)


def put(state: StateWrite, address: str, account: Account) -> None:
    state.put(keys.account(address), codec.encode_value(account))


def balance(state: StateRead, address: str) -> int:
    account = get(state, address)
    return 0 if account is None else account.balance


def credit(state: StateWrite, address: str, amount: int) -> None:
    """Add ``amount`` to an account, creating it when absent."""
    account = get(state, address) or Account()
    put(state, address, Account(account.balance + amount, account.sequence))


def debit(state: StateWrite, address: str, amount: int, what: str = "balance") -> None:
    """Remove ``amount`` from an account; raise ``InsufficientFunds`` if it holds less."""
    account = get(state, address) or Account()
    if account.balance < amount:
        raise InsufficientFunds(f"insufficient funds: {what} of {address} is {account.balance}, needs {amount}")
    put(state, address, Account(account.balance - amount, account.sequence))


def charge(state: StateWrite, address: str, account: Account, fee: int, what: str = "balance") -> None:
    """Take ``fee`` from ``account`` (the value stored at ``address`` now) and consume its sequence, in one write.

    The state afterwards is the one ``debit`` then ``bump_sequence`` leave, and a shortfall raises the
    same ``InsufficientFunds`` before anything is written.
    """
    if account.balance < fee:
        raise InsufficientFunds(f"insufficient funds: {what} of {address} is {account.balance}, needs {fee}")
    put(state, address, Account(account.balance - fee, account.sequence + 1))


def move(state: StateWrite, sender: str, recipient: str, amount: int, what: str = "balance") -> None:
    """Move ``amount`` between two accounts (debit first, so a shortfall changes nothing)."""
    debit(state, sender, amount, what)
    credit(state, recipient, amount)


def bump_sequence(state: StateWrite, address: str) -> None:
    account = get(state, address) or Account()
    put(state, address, Account(account.balance, account.sequence + 1))


def supply(state: StateRead) -> int:
    raw = state.get(keys.SUPPLY)
    return 0 if raw is None else int(raw)


def set_supply(state: StateWrite, amount: int) -> None:
    state.put(keys.SUPPLY, str(amount).encode())


def all_accounts(state: StateRead) -> Iterator[tuple[str, Account]]:
    for key, raw in state.iter_prefix(keys.ACCOUNT_PREFIX):
        yield key[len(keys.ACCOUNT_PREFIX):].decode(), codec.decode_value(Account, raw)
