"""``samen tx role grant|revoke|act`` and ``samen query roles``.

``grant`` and ``revoke`` are the organization's own actions: propose them with
``--propose-in ORG`` (or build them with ``--print-action`` for a multi-action proposal).
``act`` runs any action a role allows, given as the one-element JSON array another
command prints with ``--print-action`` (e.g. ``samen tx offer accept 5 --print-action``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from abci_app.tools.cli.common import DEFAULT_NODE, BadValue, NodeOpt, Output, OutputOpt
from abci_app.tools.cli.market_query import fetch
from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import block_time, tx_command
from abci_app.tools.cli.orgs import duration, load_actions
from abci_app.chain.domain.roles import messages as rm

OrgOpt = Annotated[int, typer.Option("--org", help="Organization id.")]
NameOpt = Annotated[str, typer.Option("--name", help="Role name (lowercase letters, digits, hyphens).")]


def grant(org: OrgOpt, name: NameOpt, holder: Annotated[str, typer.Option("--holder", help="A member's address.")],
          kind: Annotated[list[str], typer.Option("--kind", help="Action kind the role may take (repeatable), "
                                                  "e.g. accept_offer, transfer.")],
          limit: Annotated[int, typer.Option("--limit", help="Spending limit per period.")],
          every: Annotated[str, typer.Option("--every", help="Period, e.g. 30d.")],
          expires: Annotated[str, typer.Option("--expires", help="Unix seconds or +N[smhdw].")]) -> rm.GrantRole:
    """Organization action: grant a role (propose it with --print-action and samen tx org propose)."""
    return rm.GrantRole(org, name, holder, tuple(kind), limit, duration(every, "--every"),
                        block_time(expires, "--expires"))


def revoke(org: OrgOpt, name: NameOpt) -> rm.RevokeRole:
    """Organization action: revoke a role now."""
    return rm.RevokeRole(org, name)


def act(org: OrgOpt, name: NameOpt,
        action_json: Annotated[Path, typer.Option("--action-json", help="One-element JSON array (--print-action).")]
        ) -> rm.ActAsRole:
    """Holder: take an action in the organization's name, without a vote, within the role's kinds and budget."""
    actions = load_actions(action_json)
    if len(actions) != 1:
        raise BadValue("--action-json", f"must hold exactly one action, got {len(actions)}")
    return rm.ActAsRole(org, name, actions[0])


def query_roles(org: Annotated[int, typer.Argument(help="Organization id.")],
                name: Annotated[str, typer.Argument(help="Role name (all roles if omitted).")] = "",
                node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show an organization's roles (or one): holder, kinds, limit, spending in the current period."""
    fetch(f"/roles/{org}" + (f"/{name}" if name else ""), node, output)


@factory
def group() -> typer.Typer:
    """``samen tx role …`` (``grant``/``revoke`` take ``--propose-in ORG``: they are the organization's actions)."""
    made = typer.Typer(help="Roles with budgets.", no_args_is_help=True)
    for name, build in (("grant", grant), ("revoke", revoke), ("act", act)):
        tx_command(made, name, build)
    return made
