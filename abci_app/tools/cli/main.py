"""The ``samen`` command line: node, keys, transactions and queries.

Each domain concept has its own module; this file only registers commands.  A
new transaction command goes in its own module (built on
``abci_app.tools.cli.txflow.sign_and_broadcast``) and is registered on ``tx_app`` here.
Exit codes and the output contract: ``abci_app.tools.cli.common``.
"""

from __future__ import annotations

import os
import sys

import typer

from abci_app.tools.cli import keys, node, query, state_export, testnet, transfer
from abci_app.tools.cli.common import EXIT_ERROR, EXIT_USAGE, click_exc
from abci_app.tools.cli import market as market_family  # requests, offers, agreements, projects, documents
from abci_app.tools.cli import orgs  # organizations and proposals
from abci_app.tools.cli import delegation_cli, roles_cli, streams_cli, suborgs_cli  # organization tools

app = typer.Typer(name="samen", help="Samen: a collaboration ledger on CometBFT.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
tx_app = typer.Typer(help="Sign and broadcast transactions.", no_args_is_help=True)

app.command("init")(node.init)
app.command("start")(node.start)
app.command("devnet")(node.devnet)
app.command("graphql")(node.graphql)
app.command("export")(state_export.export)
app.add_typer(keys.app, name="keys")
app.add_typer(tx_app, name="tx")
app.add_typer(query.app, name="query")
app.add_typer(testnet.app, name="testnet")
tx_app.command("transfer")(transfer.transfer)
market_family.register(tx_app, query.app)
orgs.register(tx_app, query.app)
streams_cli.register(tx_app, query.app)
delegation_cli.register(tx_app, query.app)
roles_cli.register(tx_app, query.app)
suborgs_cli.register(tx_app, query.app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every failure is one ``error: ...`` line on stderr and a non-zero exit code."""
    try:
        result = app(args=argv, prog_name="samen", standalone_mode=False)
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
