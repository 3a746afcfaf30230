"""``samen tx suborg create|veto|dissolve`` and ``samen query suborgs``.

All three are the parent's own actions: propose them with ``--propose-in PARENT``
(or build them with ``--print-action`` for a multi-action proposal).
"""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.chain.domain.suborgs import messages as sm
from abci_app.tools.cli.common import DEFAULT_NODE, NodeOpt, Output, OutputOpt
from abci_app.tools.cli.market_query import fetch
from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import tx_command
from abci_app.tools.cli.orgs import Repeat, create as org_create, duration


def create(parent: Annotated[int, typer.Option("--parent", help="Parent organization id.")],
           name: Annotated[str, typer.Option("--name")],
           member: Annotated[Repeat, typer.Option("--member", help="ADDRESS:WEIGHT (repeatable).")] = None,
           purpose: Annotated[str, typer.Option("--purpose")] = "",
           threshold: Annotated[int, typer.Option("--threshold", help="Yes-weight that passes (threshold policy).")]
           = 1, voting_period: Annotated[str, typer.Option("--voting-period", help="e.g. 1d")] = "1d",
           budget: Annotated[int, typer.Option("--budget", help="Moved from the parent's treasury.")] = 0,
           veto_window: Annotated[str, typer.Option("--veto-window", help="e.g. 7d; at least the parent's "
                                                    "decision time.")] = "7d") -> sm.CreateSubOrganization:
    """Parent action: found a sub-organization with a budget and a veto window."""
    base = org_create(name=name, member=member, purpose=purpose, policy="threshold", threshold=threshold,
                      voting_period=voting_period, min_delay="0", exit_right=False)
    return sm.CreateSubOrganization(parent, base.name, base.purpose, base.members, base.policy, budget,
                                    duration(veto_window, "--veto-window"))


def veto(proposal: Annotated[int, typer.Argument(help="The child's proposal id.")],
         reason: Annotated[str, typer.Option("--reason")] = "") -> sm.VetoProposal:
    """Parent action: veto a child's proposal before it runs."""
    return sm.VetoProposal(proposal, reason)


def dissolve(org: Annotated[int, typer.Argument(help="The child organization id.")]) -> sm.DissolveSubOrganization:
    """Parent action: dissolve a child; its value returns to the parent."""
    return sm.DissolveSubOrganization(org)


def query_suborgs(parent: Annotated[int, typer.Argument(help="Parent organization id.")],
                  node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """List a parent's sub-organizations (ids and veto windows)."""
    fetch(f"/suborgs/{parent}", node, output)


@factory
def group() -> typer.Typer:
    """``samen tx suborg …`` (the parent's actions: ``--propose-in PARENT``)."""
    made = typer.Typer(help="Sub-organizations (the parent's actions).", no_args_is_help=True)
    for name, build in (("create", create), ("veto", veto), ("dissolve", dissolve)):
        tx_command(made, name, build)
    return made
