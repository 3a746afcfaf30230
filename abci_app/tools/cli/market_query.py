"""``samen query org|proposal|request|offer|standing-offer|agreement|project|document|reputation|friction``.

Text by default (``abci_app.tools.cli.render``: dates, names, labelled buckets), the
node's JSON with ``-o json`` (field names: README.md "The command line" and ``docs/cli-schemas/``).  The reputation
score is decayed to the latest block, as GraphQL shows it.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from abci_app.tools.cli.common import DEFAULT_HOME, DEFAULT_NODE, HomeOpt, KeyringDirOpt, NodeOpt, Output, OutputOpt, emit

Id = Annotated[int, typer.Argument(help="Object id.", min=1, max=(1 << 63) - 1)]
OrgId = Annotated[int, typer.Argument(help="Organization id.", min=1, max=(1 << 63) - 1)]
ProposalId = Annotated[int, typer.Argument(help="Proposal id.", min=1, max=(1 << 63) - 1)]


def show(kind: str, path: str, node: str, output: Output, adjust: Any = None, **view: Any) -> None:
    """Read ``path`` and print it: JSON as the node answers, or the text view of ``kind``."""
    from abci_app.tools.cli.reader import Reader
    with Reader(node) as reader:
        value = reader.get(path)
        if adjust is not None:
            value = adjust(reader, value)
        if output is Output.json:
            emit(value, output)
            return
        from abci_app.tools.cli import render
        lines = (render.friction_view(value, reader.now(), reader.name, view.get("period", "week"))
                 if kind == "friction"
                 else render.view(kind, value, reader.now(), reader.name))
    for line in lines:
        typer.echo(line)


def fetch(path: str, node: str, output: Output) -> None:
    """Print the answer at ``path`` (generic view); kept for commands without a view of their own."""
    show("", path, node, output)


def query_org(org: OrgId, allowances: Annotated[bool, typer.Option("--allowances")] = False,
              treasury: Annotated[bool, typer.Option("--treasury", help="Print only the treasury address.")] = False,
              node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show an organization (or its fee allowances, or only its treasury address)."""
    if treasury:
        from abci_app.tools.cli.reader import Reader
        with Reader(node) as reader:
            typer.echo(reader.get(f"/org/{org}")["treasury"])
        return
    show("" if allowances else "org", f"/org/{org}" + ("/allowances" if allowances else ""), node, output)


def query_proposal(proposal: ProposalId, votes: Annotated[bool, typer.Option("--votes")] = False,
                   voters: Annotated[bool, typer.Option("--voters", help="Its voters and their weights, as "
                                                                       "snapshotted at submission.")] = False,
                   node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show a proposal (or its votes, or its voters)."""
    if voters:
        fetch(f"/proposal/{proposal}/voters", node, output)
        return
    show("proposal", f"/proposal/{proposal}" + ("/votes" if votes else ""), node, output)


def request(id_: Id, offers: Annotated[bool, typer.Option("--offers", help="List its open offers.")] = False,
            node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show a request (or its open offers)."""
    show("request", f"/request/{id_}" + ("/offers" if offers else ""), node, output)


def offer(id_: Id, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show an offer."""
    show("offer", f"/offer/{id_}", node, output)


def standing_offer(id_: Id, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show a standing offer."""
    show("standing_offer", f"/standing_offer/{id_}", node, output)


def agreement(id_: Id, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show an agreement with its milestones (numbered from 1)."""
    show("agreement", f"/agreement/{id_}", node, output)


def project(id_: Id, history: Annotated[bool, typer.Option("--history")] = False, node: NodeOpt = DEFAULT_NODE,
            output: OutputOpt = Output.text) -> None:
    """Show a project (or its history)."""
    show("project", f"/project/{id_}" + ("/history" if history else ""), node, output)


def document(content_hash: Annotated[str, typer.Argument(help="SHA-256 (hex).")], node: NodeOpt = DEFAULT_NODE,
             output: OutputOpt = Output.text) -> None:
    """Show a document's metadata and its successor."""
    from abci_app.tools.cli.parse import sha256_hex
    show("document", f"/document/{sha256_hex(content_hash, 'HASH').hex()}", node, output)


def reputation(who: Annotated[str, typer.Argument(help="Address, or key name.")],
               tag: Annotated[str, typer.Option("--tag")] = "", node: NodeOpt = DEFAULT_NODE,
               home: HomeOpt = DEFAULT_HOME, keyring_dir: KeyringDirOpt = None, output: OutputOpt = Output.text) -> None:
    """Show an address's reputation (overall or for one skill tag), decayed to the latest block."""
    from abci_app.tools.cli.parse import resolve_address
    address = resolve_address(who, home, keyring_dir)
    show("reputation", f"/reputation/{address}" + (f"/{tag}" if tag else ""), node, output, adjust=decayed)


def decayed(reader: Any, value: dict) -> dict:
    """The reputation answer with ``score`` decayed from ``score_time`` to the latest block time."""
    from abci_app.chain.domain.reputation import decay
    now = reader.now()
    if now > value.get("score_time", now):
        value = dict(value, score=decay.decay(value["score"], now - value["score_time"], value["half_life"]),
                     score_time=now)
    return value


def friction(scope: Annotated[str, typer.Argument(help="all, org/<address>, tag/<tag> or agreement/<id>")] = "all",
             period: Annotated[str, typer.Option("--period", help="day or week")] = "week",
             node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show friction figures: one agreement's, or aggregates per day or week."""
    from abci_app.tools.cli.common import BadValue
    if period not in ("day", "week"):
        raise BadValue("--period", f"must be day or week, got {period!r}")
    path = f"/friction/{scope}" if scope.startswith("agreement/") else f"/friction/{period}/{scope}"
    show("friction" if not scope.startswith("agreement/") else "", path, node, output, period=period)
