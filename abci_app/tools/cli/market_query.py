"""``samen query request|offer|standing-offer|agreement|project|document|reputation|friction``."""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.common import CliError, NodeOpt, Output, OutputOpt, emit
from abci_app.tools.client.rpc import DEFAULT_NODE, ClientError, RpcClient

Id = Annotated[int, typer.Argument(help="Object id.")]


def fetch(path: str, node: str, output: Output) -> None:
    """Run the ABCI query ``path`` and print its value; a rejection is a one-line error."""
    try:
        with RpcClient(node) as rpc:
            answer = rpc.abci_query(path)
    except ClientError as exc:
        raise CliError(str(exc)) from None
    if answer["code"] != 0:
        raise CliError(f"{answer['log']} ({answer['codespace']}/{answer['code']})")
    emit(answer["value"], output)


def request(id_: Id, offers: Annotated[bool, typer.Option("--offers", help="List its open offers.")] = False,
            node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.json) -> None:
    """Show a request (or its open offers)."""
    fetch(f"/request/{id_}" + ("/offers" if offers else ""), node, output)


def offer(id_: Id, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.json) -> None:
    """Show an offer."""
    fetch(f"/offer/{id_}", node, output)


def standing_offer(id_: Id, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.json) -> None:
    """Show a standing offer."""
    fetch(f"/standing_offer/{id_}", node, output)


def agreement(id_: Id, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.json) -> None:
    """Show an agreement with its milestones."""
    fetch(f"/agreement/{id_}", node, output)


def project(id_: Id, history: Annotated[bool, typer.Option("--history")] = False, node: NodeOpt = DEFAULT_NODE,
            output: OutputOpt = Output.json) -> None:
    """Show a project (or its history)."""
    fetch(f"/project/{id_}" + ("/history" if history else ""), node, output)


def document(content_hash: Annotated[str, typer.Argument(help="SHA-256 (hex).")], node: NodeOpt = DEFAULT_NODE,
             output: OutputOpt = Output.json) -> None:
    """Show a document's metadata and its successor."""
    fetch(f"/document/{content_hash.lower()}", node, output)


def reputation(address: Annotated[str, typer.Argument()], tag: Annotated[str, typer.Option("--tag")] = "",
               node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.json) -> None:
    """Show an address's reputation (overall or for one skill tag)."""
    fetch(f"/reputation/{address}" + (f"/{tag}" if tag else ""), node, output)


def friction(scope: Annotated[str, typer.Argument(help="all, org/<address>, tag/<tag> or agreement/<id>")] = "all",
             period: Annotated[str, typer.Option("--period", help="day or week")] = "week",
             node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.json) -> None:
    """Show friction figures: one agreement's, or aggregates per day or week."""
    path = f"/friction/{scope}" if scope.startswith("agreement/") else f"/friction/{period}/{scope}"
    fetch(path, node, output)


def register(query_app: typer.Typer) -> None:
    for name, fn in (("request", request), ("offer", offer), ("standing-offer", standing_offer),
                     ("agreement", agreement), ("project", project), ("document", document),
                     ("reputation", reputation), ("friction", friction)):
        query_app.command(name)(fn)
