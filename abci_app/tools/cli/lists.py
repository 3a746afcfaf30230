"""``samen query organizations|proposals|requests|offers|agreements|projects``: lists with filters and pages.

Decision: lists read the node's GraphQL API (``--graphql``, ``$SAMEN_GRAPHQL``,
default ``http://127.0.0.1:8080/graphql``, which ``samen devnet``/``samen start``
serve).  It already pages by keyset (``--after`` the last id shown, ``--first`` at
most 100 here) and filters, under the cost, time and size limits of
``docs/security.md``; adding unbounded list routes to the ABCI query router would
give every RPC client a new way to make a node scan its state.
"""

from __future__ import annotations

import json
import time
from typing import Annotated, Any

import typer

from abci_app.tools.cli.common import BadValue, CliError, Output, OutputOpt, emit

GraphqlOpt = Annotated[str, typer.Option("--graphql", envvar="SAMEN_GRAPHQL", help="GraphQL API address.")]
FirstOpt = Annotated[int, typer.Option("--first", min=1, max=100, help="Page size.")]
AfterOpt = Annotated[str, typer.Option("--after", help="Cursor printed after the previous page.")]
StatusOpt = Annotated[str, typer.Option("--status", help="Filter by status (e.g. open, voting, settled).")]
DEFAULT_GRAPHQL = "http://127.0.0.1:8080/graphql"
FIELDS = {
    "organizations": "id name status treasury createdAt cursor",
    "proposals": "id organization title status submittedAt votingEnd cursor",
    "requests": "id requester title budget status offersUntil cursor",
    "offers": "id request provider price status deadline cursor",
    "agreements": "id requester provider price status outcome createdAt cursor",
    "projects": "id owner title budget createdAt cursor",
}


def run(name: str, where: dict[str, Any], first: int, after: str, graphql_url: str, output: Output) -> None:
    """Ask GraphQL for one page of ``name`` and print it (a line per object, then the next cursor)."""
    import httpx
    args = [f"first: {first}"] + ([f"after: {json.dumps(after)}"] if after else [])
    owner = where.pop("owner", "")
    args += [f"owner: {json.dumps(owner)}"] if owner else []
    filters = ", ".join(f"{k}: {json.dumps(v)}" for k, v in where.items() if v not in (None, ""))
    if filters:
        args.append(f"where: {{{filters}}}")
    query = f"{{ {name}({', '.join(args)}) {{ {FIELDS[name]} }} }}"
    try:
        answer = httpx.post(graphql_url, json={"query": query}, timeout=10.0).json()
    except (httpx.HTTPError, ValueError) as exc:
        raise CliError(f"cannot read the GraphQL API at {graphql_url}: {exc} (start it with samen devnet or "
                       "samen graphql, or give --graphql)") from None
    if answer.get("errors"):
        raise CliError(f"GraphQL: {answer['errors'][0].get('message', answer['errors'][0])}")
    rows = answer["data"][name]
    if output is Output.json:
        emit(rows, output)
        return
    from abci_app.tools.cli.render import when
    now = int(time.time())
    for row in rows:
        typer.echo("  ".join(f"{k}: {when(v, now) if _is_time(k) else v}" for k, v in row.items() if k != "cursor"))
    if len(rows) == first:
        typer.echo(f"(more: --after {rows[-1]['cursor']})")
    if not rows:
        typer.echo(f"no {name}")


def organizations(status: StatusOpt = "", first: FirstOpt = 20, after: AfterOpt = "",
                  graphql: GraphqlOpt = DEFAULT_GRAPHQL, output: OutputOpt = Output.text) -> None:
    """List organizations."""
    run("organizations", {"status": status}, first, after, graphql, output)


def proposals(org: Annotated[int, typer.Option("--org", min=0, help="Only this organization's.")] = 0,
              status: StatusOpt = "", first: FirstOpt = 20, after: AfterOpt = "",
              graphql: GraphqlOpt = DEFAULT_GRAPHQL, output: OutputOpt = Output.text) -> None:
    """List proposals."""
    run("proposals", {"organization": str(org) if org else "", "status": status}, first, after, graphql, output)


def requests(requester: Annotated[str, typer.Option("--requester")] = "", status: StatusOpt = "",
             first: FirstOpt = 20, after: AfterOpt = "", graphql: GraphqlOpt = DEFAULT_GRAPHQL,
             output: OutputOpt = Output.text) -> None:
    """List requests."""
    run("requests", {"requester": _addr(requester, "--requester"), "status": status}, first, after, graphql, output)


def offers(request: Annotated[int, typer.Option("--request", min=0)] = 0,
           provider: Annotated[str, typer.Option("--provider")] = "", status: StatusOpt = "", first: FirstOpt = 20,
           after: AfterOpt = "", graphql: GraphqlOpt = DEFAULT_GRAPHQL, output: OutputOpt = Output.text) -> None:
    """List offers."""
    run("offers", {"request": str(request) if request else "", "provider": _addr(provider, "--provider"),
                   "status": status}, first, after, graphql, output)


def agreements(party: Annotated[str, typer.Option("--party", help="Requester, provider or arbiter.")] = "",
               status: StatusOpt = "", first: FirstOpt = 20, after: AfterOpt = "",
               graphql: GraphqlOpt = DEFAULT_GRAPHQL, output: OutputOpt = Output.text) -> None:
    """List agreements: ``--status open`` or ``settled``, or an outcome (``completed``, ``broken``, ...)."""
    where: dict[str, Any] = {"party": _addr(party, "--party")}
    if status in ("open", "settled"):
        where["settled"] = status == "settled"
    elif status:
        where["outcome"] = status
    run("agreements", where, first, after, graphql, output)


def projects(owner: Annotated[str, typer.Option("--owner")] = "", first: FirstOpt = 20, after: AfterOpt = "",
             graphql: GraphqlOpt = DEFAULT_GRAPHQL, output: OutputOpt = Output.text) -> None:
    """List projects."""
    run("projects", {"owner": _addr(owner, "--owner")}, first, after, graphql, output)


def _is_time(key: str) -> bool:
    return key.endswith(("At", "Until", "End")) or key == "deadline"


def _addr(text: str, flag: str) -> str:
    if text:
        from abci_app.chain import addresses
        if not addresses.is_valid(text):
            raise BadValue(flag, f"{text!r} is not a samen1... address")
    return text
