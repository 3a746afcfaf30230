"""The ``samen`` command line: node, keys, transactions and queries.

Each domain concept has its own module; this file only names the commands.  They
load lazily (``abci_app.tools.cli.lazy``): ``samen --help`` imports no command module and
``samen query account`` only ``abci_app.tools.cli.query``, so a command starts in a
fraction of the time importing everything took (figures in ``BENCHMARKS.md``).  A
new transaction command goes in its own module (built on
``abci_app.tools.cli.marketflow.tx_command``) and gets one line in ``TxGroup.LAZY``.
Exit codes and the output contract: ``abci_app.tools.cli.common``.
"""

from __future__ import annotations

import os
import sys
from functools import lru_cache
from typing import Any

import typer

from abci_app.tools.cli.common import EXIT_ERROR, EXIT_USAGE, click_exc
from abci_app.tools.cli.lazy import LazyGroup

_CLI = "abci_app.tools.cli."


class TxGroup(LazyGroup):
    LAZY = {
        "transfer": (_CLI + "transfer", "group", "Move units to an address."),
        "org": (_CLI + "orgs", "group", "Organizations and their proposals."),
        "request": (_CLI + "market", "request_group", "Requests (vraag)."),
        "offer": (_CLI + "market", "offer_group", "Offers (aanbod) on requests."),
        "standing": (_CLI + "market", "standing_group", "Standing offers."),
        "agreement": (_CLI + "agreements_cli", "group", "Agreements: delivery, acceptance, disputes, cancellation, "
                      "ratings."),
        "project": (_CLI + "projects_cli", "group", "Projects, their budgets and their transfer."),
        "document": (_CLI + "documents_cli", "group", "Documents (content hashes and metadata)."),
        "stream": (_CLI + "streams_cli", "group", "Recurring payments (streams)."),
        "delegate": (_CLI + "delegation_cli", "group", "Delegated votes in an organization."),
        "role": (_CLI + "roles_cli", "group", "Roles with budgets."),
        "suborg": (_CLI + "suborgs_cli", "group", "Sub-organizations (the parent's actions)."),
    }


class QueryGroup(LazyGroup):
    LAZY = {
        "account": (_CLI + "query", "account", "An account's balance and next sequence (0 and 0 if unknown)."),
        "tx": (_CLI + "query", "tx", "A committed transaction, its result and its effects."),
        "status": (_CLI + "query", "status", "The node's chain id, latest height, time and app hash."),
        "store": (_CLI + "query", "store", "The raw value under a state key (hex)."),
        **{name: (_CLI + "market_query", fn, text) for name, fn, text in (
            ("org", "query_org", "An organization (or its fee allowances)."),
            ("proposal", "query_proposal", "A proposal (or its votes)."),
            ("request", "request", "A request (or its open offers)."),
            ("offer", "offer", "An offer."),
            ("standing-offer", "standing_offer", "A standing offer."),
            ("agreement", "agreement", "An agreement with its milestones."),
            ("project", "project", "A project (or its history)."),
            ("document", "document", "A document's metadata and its successor."),
            ("reputation", "reputation", "An address's reputation, decayed to the latest block."),
            ("friction", "friction", "Friction figures: one agreement's, or per day or week."))},
        "stream": (_CLI + "streams_cli", "query_stream", "A stream."),
        "streams": (_CLI + "streams_cli", "query_streams", "The streams an address pays or receives, or recurring "
                    "costs."),
        "delegations": (_CLI + "delegation_cli", "query_delegations", "Whom a member delegated to (or who to them)."),
        "delegation-snapshot": (_CLI + "delegation_cli", "query_snapshot", "A proposal's delegation snapshot."),
        "roles": (_CLI + "roles_cli", "query_roles", "An organization's roles (or one): holder, kinds, budget."),
        "suborgs": (_CLI + "suborgs_cli", "query_suborgs", "A parent's sub-organizations and their veto windows."),
        **{name: (_CLI + "lists", name, f"List {name}, with filters and pages (GraphQL).") for name in (
            "organizations", "proposals", "requests", "offers", "agreements", "projects")},
    }


class RootGroup(LazyGroup):
    LAZY = {
        "init": (_CLI + "node", "init", "Create a node home: CometBFT config and keys, genesis, app config."),
        "start": (_CLI + "node", "start", "Run CometBFT, the app (and GraphQL) as one group."),
        "devnet": (_CLI + "node", "devnet", "Start a one-validator development chain with funded test keys."),
        "graphql": (_CLI + "node", "graphql", "Run the read-only GraphQL server (and the dashboard)."),
        "export": (_CLI + "state_export", "export", "Write the state at a height as a genesis file."),
        "keys": (_CLI + "keys", "app", "Manage the keys in a file keyring."),
        "tx": (_CLI + "main", "tx_app", "Sign and broadcast transactions."),
        "query": (_CLI + "main", "query_app", "Query a node."),
        "testnet": (_CLI + "testnet", "app", "Run a multi-validator network on this machine (loopback only)."),
    }


def _group(cls: type, help_text: str, completion: bool = False) -> typer.Typer:
    made = typer.Typer(cls=cls, name="samen", help=help_text, no_args_is_help=True, add_completion=completion,
                       pretty_exceptions_enable=False, rich_markup_mode=None)
    made.callback()(_no_op)
    return made


def _no_op() -> None:
    """Sub-commands do the work."""


app = _group(RootGroup, "Samen: a collaboration ledger on CometBFT.", completion=True)
tx_app = _group(TxGroup, "Sign and broadcast transactions.")
query_app = _group(QueryGroup, "Query a node.")


@lru_cache(maxsize=1)
def command() -> Any:
    """The root Click command (built once per process)."""
    return typer.main.get_command(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every failure is one ``error: ...`` line on stderr and a non-zero exit code."""
    # Skip httpx's own command line (rich, pygments; a third of a query's start): httpx then defines a stub.
    if "httpx" not in sys.modules:
        sys.modules["httpx._main"] = None   # type: ignore[assignment]
    try:
        result = command().main(args=argv, prog_name="samen", standalone_mode=False)
    except click_exc.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc), file=sys.stderr)
        return EXIT_USAGE
    except click_exc.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        typer.echo(f"error: {exc.format_message()}{hint}", file=sys.stderr)
        return EXIT_USAGE
    except click_exc.ClickException as exc:
        exc.show()
        return exc.exit_code
    except typer.Abort:
        typer.echo("error: aborted", file=sys.stderr)
        return EXIT_ERROR
    except Exception as exc:  # a bug: still one line, with the traceback only on request
        if os.environ.get("SAMEN_DEBUG"):
            raise
        typer.echo(f"error: internal error: {type(exc).__name__}: {exc} (set SAMEN_DEBUG=1 for a traceback)",
                   file=sys.stderr)
        return EXIT_ERROR
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
