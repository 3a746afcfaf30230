"""``samen tx project create|fund|withdraw-budget|offer|withdraw-offer|accept``."""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import block_time, tx_command
from abci_app.chain.domain.projects import messages as p

Project = Annotated[int, typer.Argument(help="Project id.")]
Amount = Annotated[int, typer.Option("--amount")]


def create(title: Annotated[str, typer.Option("--title")], budget: Annotated[int, typer.Option("--budget")] = 0,
           description: Annotated[str, typer.Option("--description")] = ""):
    """Create a project owned by the signer, moving --budget into it."""
    return p.CreateProject(title, description, budget)


def fund(project: Project, amount: Amount):
    """Add to a project's budget."""
    return p.FundProject(project, amount)


def withdraw_budget(project: Project, amount: Amount):
    """Owner: take uncommitted budget back."""
    return p.WithdrawProjectBudget(project, amount)


def offer(project: Project, to: Annotated[str, typer.Option("--to", help="New owner's address.")],
          expires: Annotated[str, typer.Option("--expires", help="Unix seconds or +7d.")]):
    """Owner: offer the project to another address until --expires."""
    return p.OfferProject(project, to, block_time(expires, "--expires"))


def withdraw_offer(project: Project):
    """Owner: withdraw the open transfer offer."""
    return p.WithdrawProjectOffer(project)


def accept(project: Project):
    """Target: take over a project offered to you."""
    return p.AcceptProject(project)


@factory
def group() -> typer.Typer:
    app = typer.Typer(help="Projects, their budgets and their transfer.", no_args_is_help=True)
    for name, build in (("create", create), ("fund", fund), ("withdraw-budget", withdraw_budget), ("offer", offer),
                        ("withdraw-offer", withdraw_offer), ("accept", accept)):
        tx_command(app, name, build)
    return app
