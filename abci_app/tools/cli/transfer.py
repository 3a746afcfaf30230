"""``samen tx transfer``: move units from a key's account to an address."""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.common import DEFAULT_HOME, CliError, HomeOpt, KeyringDirOpt, NodeOpt, Output, OutputOpt
from abci_app.tools.cli.keys import open_keyring, unlock
from abci_app.tools.cli.txflow import ChainIdOpt, FeeOpt, FeePayerOpt, TimeoutOpt, TxOptions, WaitOpt, YesOpt, sign_and_broadcast
from abci_app.tools.client.rpc import DEFAULT_NODE
from abci_app.chain.domain.accounts.handlers import check_amount
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.errors import LedgerError
from abci_app.chain import addresses


def transfer(from_key: Annotated[str, typer.Option("--from", help="Name of the signing key.")],
             to: Annotated[str, typer.Option("--to", help="Recipient address (samen1...).")],
             amount: Annotated[int, typer.Option("--amount", help="Units to move (a positive integer).")],
             memo: Annotated[str, typer.Option("--memo", help="Free text stored with the transfer.")] = "",
             fee: FeeOpt = 0, node: NodeOpt = DEFAULT_NODE, chain_id: ChainIdOpt = None, yes: YesOpt = False,
             wait: WaitOpt = True, timeout: TimeoutOpt = 30.0, home: HomeOpt = DEFAULT_HOME,
             keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.json,
             fee_payer: FeePayerOpt = "") -> None:
    """Transfer AMOUNT units to TO, signed by the key FROM."""
    if amount <= 0:
        raise CliError(f"amount must be positive, got {amount}")
    try:
        addresses.validate(to, "recipient address")
        check_amount(amount)
    except LedgerError as exc:
        raise CliError(exc.message) from None
    signer = unlock(open_keyring(home, keyring_dir), from_key)
    action = Transfer(to=to, amount=amount, memo=memo)
    sign_and_broadcast(action, signer, TxOptions(node, chain_id, fee, yes, wait, timeout, output, fee_payer))
