"""Shared plumbing of the market-family commands (``samen tx request|offer|standing|agreement|project|document``).

``tx_command(group, name, build)`` registers a command whose own options are
``build``'s parameters plus ``--from`` and the options every ``samen tx``
command shares (``--fee``, ``--node``, ``--chain-id``, ``-y``, ``--wait``, ...).
``build`` turns the options into a message; the message's stateless check runs
before anything is signed, so bad input fails locally with the chain's own
error text.  ``--print-action`` prints the message as a one-element JSON array
instead, ready for a proposal (``samen tx org propose --actions-json``).  Value parsers: ``abci_app.tools.cli.parse``.
"""

from __future__ import annotations

import inspect
import json
from typing import Annotated, Callable

import typer

from abci_app.chain import codec, messages
from abci_app.chain.context import TxContext
from abci_app.tools.cli.common import DEFAULT_HOME, DEFAULT_NODE, click_exc, HomeOpt, KeyringDirOpt, NodeOpt, Output, OutputOpt
from abci_app.tools.cli.keys import open_keyring, unlock
from abci_app.tools.cli import validate
from abci_app.tools.cli.txflow import ChainIdOpt, FeeOpt, FeePayerOpt, TimeoutOpt, TxOptions, WaitOpt, YesOpt, sign_and_broadcast
from abci_app.chain.domain.params import Params
from abci_app.tools.cli.parse import block_time, milestone, sha256_hex  # noqa: F401  (the commands' parsers)

FromOpt = Annotated[str, typer.Option("--from", help="Name of the signing key (required unless --print-action).")]
ProposeOpt = Annotated[int, typer.Option("--propose-in", metavar="ORG", min=0, max=(1 << 63) - 1,
                      help="Act for organization ORG: submit a proposal with this action (signed by --from, "
                           "a member) and vote yes on it; it runs when the proposal passes.")]
ProposalTitleOpt = Annotated[str, typer.Option("--proposal-title", help="Title of the --propose-in proposal "
                                               "(default: the command line's words).")]
PrintOpt = Annotated[bool, typer.Option("--print-action", help="Print the action as a JSON array (for samen tx org "
                                        "propose --actions-json) instead of signing it.")]
_COMMON = (("fee", FeeOpt, 0), ("fee_payer", FeePayerOpt, ""), ("node", NodeOpt, DEFAULT_NODE), ("chain_id", ChainIdOpt, None),
           ("yes", YesOpt, False), ("wait", WaitOpt, True), ("timeout", TimeoutOpt, 30.0),
           ("home", HomeOpt, DEFAULT_HOME), ("keyring_dir", KeyringDirOpt, None), ("output", OutputOpt, Output.text))


def tx_command(group: typer.Typer, name: str, build: Callable, propose: bool = True) -> None:
    """Register ``build`` (options -> message) as ``samen tx <group> <name>`` (``--propose-in`` unless not ``propose``)."""
    own = list(inspect.signature(build, eval_str=True).parameters.values())
    kw = inspect.Parameter.KEYWORD_ONLY
    params = [inspect.Parameter("from_key", kw, annotation=FromOpt, default="")]
    params += [validate.bounded(p.replace(kind=kw)) for p in own]
    flags = {p.name: validate.flag_of(p) for p in own}
    params += [inspect.Parameter(n, kw, annotation=a, default=d) for n, a, d in _COMMON]
    params.append(inspect.Parameter("print_action", kw, annotation=PrintOpt, default=False))
    if propose:
        params.append(inspect.Parameter("propose_in", kw, annotation=ProposeOpt, default=0))
        params.append(inspect.Parameter("proposal_title", kw, annotation=ProposalTitleOpt, default=""))

    def command(**options) -> None:
        common = {n: options.pop(n) for n, _, _ in _COMMON}
        from_key, print_action = options.pop("from_key"), options.pop("print_action")
        org, title = options.pop("propose_in", 0), options.pop("proposal_title", "")
        action = checked(build(**options), flags)
        if print_action:
            typer.echo(json.dumps([action_json(action)], sort_keys=True))
            return
        if org:
            action = checked(proposal(org, title or messages.kind_of(type(action)).replace("_", " "), action))
        if not from_key:
            raise click_exc.UsageError("Missing option '--from'.")
        signer = unlock(open_keyring(common["home"], common["keyring_dir"]), from_key)
        opts = TxOptions(common["node"], common["chain_id"], common["fee"], common["yes"], common["wait"],
                         common["timeout"], common["output"], common["fee_payer"])
        result = sign_and_broadcast(action, signer, opts)
        if org and opts.wait:
            vote_yes(result, signer, opts)

    command.__signature__ = inspect.Signature(params)
    command.__annotations__ = {p.name: p.annotation for p in params}
    command.__doc__ = build.__doc__
    command.__name__ = build.__name__
    group.command(name)(command)


def proposal(org: int, title: str, action):
    """The ``SubmitProposal`` that has organization ``org`` take ``action``."""
    from abci_app.chain.domain.proposals.messages import SubmitProposal
    return SubmitProposal(org, title[:100], "", (action,))


def vote_yes(result: dict, signer, opts: TxOptions) -> None:
    """The proposer's yes vote on the proposal ``result`` created (``--propose-in``)."""
    from abci_app.tools.cli.effects import created
    from abci_app.chain.domain.proposals.messages import YES, Vote
    proposal_id = created(result.get("events", [])).get("proposal")
    if proposal_id:
        sign_and_broadcast(Vote(proposal_id, YES, ""), signer, opts)


def action_json(action) -> dict:
    """Return ``{"kind": <Action field>, "msg": {...}}``: the ledger's state encoding of one action."""
    return {"kind": messages.kind_of(type(action)), "msg": json.loads(codec.encode_value(action))}


def checked(action, flags: dict[str, str] | None = None):
    """Check the message locally (encodable, stateless check); a failure is a usage error naming the flag."""
    return validate.checked(action, flags or {}, TxContext("", 0, 0, "", b"", Params()))
