"""``samen tx delegate set|revoke`` and ``samen query delegations``.

Registered lazily in ``abci_app.tools.cli.main`` (``group`` and the query functions).
Tag a proposal with ``samen tx org propose --tag TAG`` so tag-specific delegations apply.
"""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.common import DEFAULT_NODE, NodeOpt, Output, OutputOpt
from abci_app.tools.cli.market_query import fetch
from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import tx_command
from abci_app.chain.domain.delegation import messages as dm

OrgOpt = Annotated[int, typer.Option("--org", help="Organization id.")]
TagOpt = Annotated[str, typer.Option("--tag", help="Only proposals with this tag; default: all proposals.")]


def set_delegation(org: OrgOpt, to: Annotated[str, typer.Option("--to", help="The member who votes for you.")],
                   tag: TagOpt = "") -> dm.DelegateVote:
    """Let another member vote with your weight (your own vote always overrides)."""
    return dm.DelegateVote(org, to, tag)


def revoke(org: OrgOpt, tag: TagOpt = "") -> dm.RevokeDelegation:
    """Take back your delegation (for --tag, or the general one)."""
    return dm.RevokeDelegation(org, tag)


def query_delegations(org: Annotated[int, typer.Argument(help="Organization id.")],
                      address: Annotated[str, typer.Argument(help="Member address; omitted: every delegation "
                                                                  "of the organization.")] = "",
                      backers: Annotated[bool, typer.Option("--backers", help="Who delegated to this member.")]
                      = False, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show who votes for whom: whom a member delegated to (or, with --backers, who delegated to the member), or
    without an address every delegation in the organization."""
    if not address:
        if backers:
            raise typer.BadParameter("--backers needs a member address")
        fetch(f"/delegations/{org}", node, output)
        return
    fetch(f"/delegations/{org}/{address}" + ("/backers" if backers else ""), node, output)


def query_snapshot(proposal: Annotated[int, typer.Argument(help="Proposal id.")], node: NodeOpt = DEFAULT_NODE,
                   output: OutputOpt = Output.text) -> None:
    """Show a proposal's delegation snapshot: who votes for whom, and the direct tallies."""
    fetch(f"/delegations/proposal/{proposal}", node, output)


@factory
def group() -> typer.Typer:
    """``samen tx delegate …``."""
    made = typer.Typer(help="Delegated votes in an organization.", no_args_is_help=True)
    tx_command(made, "set", set_delegation)
    tx_command(made, "revoke", revoke)
    return made
