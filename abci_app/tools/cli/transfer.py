"""``samen tx transfer``: move units from a key's account (or, with ``--propose-in``, a treasury) to an address."""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import tx_command
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.query_args import MAX_U64


def transfer(to: Annotated[str, typer.Option("--to", help="Recipient address (samen1...).")],
             amount: Annotated[int, typer.Option("--amount", min=1, max=MAX_U64,
                                                 help="Units to move (a positive integer).")],
             memo: Annotated[str, typer.Option("--memo", help="Free text stored with the transfer.")] = ""):
    """Transfer AMOUNT units to TO, signed by the key FROM."""
    return Transfer(to=to, amount=amount, memo=memo)


@factory
def group() -> typer.Typer:
    single = typer.Typer()
    tx_command(single, "transfer", transfer)
    return single
