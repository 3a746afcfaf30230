"""``samen tx stream create|claim|stop`` and ``samen query stream|streams``.

Registered lazily in ``abci_app.tools.cli.main`` (``group`` and the query functions).
An organization streams by proposal: ``samen tx org propose --actions-json`` with
``{"kind": "create_stream", "msg": {...}}`` (``docs/transactions.md``).
"""

from __future__ import annotations

from typing import Annotated

import typer

from abci_app.tools.cli.common import DEFAULT_NODE, BadValue, NodeOpt, Output, OutputOpt
from abci_app.tools.cli.market_query import fetch
from abci_app.tools.cli.lazy import factory
from abci_app.tools.cli.marketflow import block_time, tx_command
from abci_app.tools.cli.orgs import duration
from abci_app.chain.domain.streams import messages as sm

StreamId = Annotated[int, typer.Argument(help="Stream id.", min=1, max=(1 << 63) - 1)]


def create(to: Annotated[str, typer.Option("--to", help="Recipient address.")],
           amount: Annotated[int, typer.Option("--amount", help="Amount per period.")],
           every: Annotated[str, typer.Option("--every", help="Period, e.g. 30d or 3600.")],
           start: Annotated[str, typer.Option("--start", help="Unix seconds or +N[smhdw]; default now.")] = "",
           end: Annotated[str, typer.Option("--end", help="Unix seconds or +N[smhdw]; no accrual after it.")] = "",
           total: Annotated[int, typer.Option("--total", help="Cap on everything paid.")] = 0) -> sm.CreateStream:
    """Reserve --total (or the periods before --end) and pay --amount to --to every period, claimable by pull."""
    if not end and not total:
        raise BadValue("--end", "give --end or --total: a stream's reserve must be finite")
    return sm.CreateStream(to, amount, duration(every, "--every"), block_time(start, "--start") if start else 0,
                           block_time(end, "--end") if end else 0, total)


def claim(stream: StreamId) -> sm.ClaimStream:
    """Pay the recipient what has accrued (anyone may send this)."""
    return sm.ClaimStream(stream)


def stop(stream: StreamId) -> sm.StopStream:
    """Payer: stop the stream; the accrued part stays claimable, the rest returns to you."""
    return sm.StopStream(stream)


def query_stream(stream: StreamId, node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """Show a stream."""
    fetch(f"/stream/{stream}", node, output)


def query_streams(address: Annotated[str, typer.Argument(help="Address (or 'all' with --recurring).")],
                  received: Annotated[bool, typer.Option("--received", help="Streams it receives.")] = False,
                  recurring: Annotated[bool, typer.Option("--recurring", help="Recurring-cost figures.")] = False,
                  node: NodeOpt = DEFAULT_NODE, output: OutputOpt = Output.text) -> None:
    """List the streams an address pays (or receives), or its recurring-cost figures."""
    if recurring:
        fetch("/streams/recurring/" + (address if address == "all" else "org/" + address), node, output)
        return
    fetch(f"/streams/{'recipient' if received else 'payer'}/{address}", node, output)


@factory
def group() -> typer.Typer:
    """``samen tx stream …``."""
    made = typer.Typer(help="Recurring payments (streams).", no_args_is_help=True)
    for name, build in (("create", create), ("claim", claim), ("stop", stop)):
        tx_command(made, name, build)
    return made
