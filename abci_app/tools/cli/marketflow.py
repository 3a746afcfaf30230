"""Shared plumbing of the market-family commands (``samen tx request|offer|standing|agreement|project|document``).

``tx_command(group, name, build)`` registers a command whose own options are
``build``'s parameters plus ``--from`` and the options every ``samen tx``
command shares (``--fee``, ``--node``, ``--chain-id``, ``-y``, ``--wait``, ...).
``build`` turns the options into a message; the message's stateless check runs
before anything is signed, so bad input fails locally with the chain's own
error text.  ``--print-action`` prints the message as a one-element JSON array
instead, ready for a proposal (``samen tx org propose --actions-json``).  Value parsers for hashes, times and milestones live here too.
"""

from __future__ import annotations

import inspect
import json
import re
import time as wallclock
from typing import Annotated, Callable

import typer

from abci_app.chain import codec, components
from abci_app.chain.context import TxContext
from abci_app.tools.cli.common import DEFAULT_HOME, CliError, click_exc, HomeOpt, KeyringDirOpt, NodeOpt, Output, OutputOpt
from abci_app.tools.cli.keys import open_keyring, unlock
from abci_app.tools.cli.txflow import ChainIdOpt, FeeOpt, FeePayerOpt, TimeoutOpt, TxOptions, WaitOpt, YesOpt, sign_and_broadcast
from abci_app.tools.client.rpc import DEFAULT_NODE
from abci_app.chain.domain.market.messages import MilestoneSpec
from abci_app.chain.domain.params import Params
from abci_app.chain.errors import LedgerError
from abci_app.chain.query_args import MAX_ID, MAX_U64, parse_uint

FromOpt = Annotated[str, typer.Option("--from", help="Name of the signing key (required unless --print-action).")]
PrintOpt = Annotated[bool, typer.Option("--print-action", help="Print the action as a JSON array (for samen tx org "
                                        "propose --actions-json) instead of signing it.")]
_COMMON = (("fee", FeeOpt, 0), ("fee_payer", FeePayerOpt, ""), ("node", NodeOpt, DEFAULT_NODE), ("chain_id", ChainIdOpt, None),
           ("yes", YesOpt, False), ("wait", WaitOpt, True), ("timeout", TimeoutOpt, 30.0),
           ("home", HomeOpt, DEFAULT_HOME), ("keyring_dir", KeyringDirOpt, None), ("output", OutputOpt, Output.json))
_UNITS = {"s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800}
_RELATIVE = re.compile(r"\+(\d+)([smhdw])")


def tx_command(group: typer.Typer, name: str, build: Callable) -> None:
    """Register ``build`` (options -> message) as ``samen tx <group> <name>``."""
    own = list(inspect.signature(build, eval_str=True).parameters.values())
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("from_key", kw, annotation=FromOpt, default="")]
    params += [p.replace(kind=kw) for p in own]
    params += [inspect.Parameter(n, kw, annotation=a, default=d) for n, a, d in _COMMON]
    params.append(inspect.Parameter("print_action", kw, annotation=PrintOpt, default=False))

    def command(**options) -> None:
        common = {n: options.pop(n) for n, _, _ in _COMMON}
        from_key, print_action = options.pop("from_key"), options.pop("print_action")
        action = checked(build(**options))
        if print_action:
            typer.echo(json.dumps([action_json(action)], sort_keys=True))
            return
        if not from_key:
            raise click_exc.UsageError("Missing option '--from'.")
        signer = unlock(open_keyring(common["home"], common["keyring_dir"]), from_key)
        opts = TxOptions(common["node"], common["chain_id"], common["fee"], common["yes"], common["wait"],
                         common["timeout"], common["output"], common["fee_payer"])
        sign_and_broadcast(action, signer, opts)

    command.__signature__ = inspect.Signature(params)
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = build.__doc__
    command.__name__ = build.__name__
    group.command(name)(command)


def action_json(action) -> dict:
    """Return ``{"kind": <Action field>, "msg": {...}}``: the ledger's state encoding of one action."""
    return {"kind": codec.action_field(type(action)), "msg": json.loads(codec.encode_value(action))}


def checked(action):
    """Run the message's stateless check locally; a failure is a one-line CLI error."""
    stateless, _ = components.HANDLERS[type(action)]
    try:
        stateless(action, TxContext("", 0, 0, "", b"", Params()))
    except LedgerError as exc:
        raise CliError(f"{exc.message} ({exc.codespace}/{exc.code})") from None
    return action


def sha256_hex(text: str, what: str = "hash") -> bytes:
    """Parse an optional 64-hex-character SHA-256 hash (empty: absent)."""
    if not text:
        return b""
    try:
        raw = bytes.fromhex(text.removeprefix("0x"))
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise CliError(f"{what} must be 64 hex characters (a SHA-256 hash), got {text!r}")
    return raw


def block_time(text: str, what: str = "time") -> int:
    """Parse a time: seconds since the Unix epoch, or ``+N[s|m|h|d|w]`` from now (the client's clock)."""
    match = _RELATIVE.fullmatch(text.strip())
    if match:
        return int(wallclock.time()) + int(match.group(1)) * _UNITS[match.group(2)]
    seconds = parse_uint(text.strip(), MAX_ID)
    if seconds is not None:
        return seconds
    raise CliError(f"{what} must be Unix seconds or +N followed by s, m, h, d or w; got {text!r}")


def milestone(text: str) -> MilestoneSpec:
    """Parse ``TITLE:AMOUNT:DEADLINE`` (deadline as in ``block_time``)."""
    parts = text.rsplit(":", 2)
    amount = parse_uint(parts[1], MAX_U64) if len(parts) == 3 else None
    if amount is None:
        raise CliError(f"milestone must be TITLE:AMOUNT:DEADLINE, got {text!r}")
    return MilestoneSpec(parts[0], amount, block_time(parts[2], "milestone deadline"))
