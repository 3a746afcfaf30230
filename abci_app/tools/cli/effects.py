"""A transaction's effects in words, read from its result events.

``sentences(events)`` turns the events of a committed transaction into lines a
person reads ("created proposal 3 in organization 1", "proposal 3 passed and
executed", "800 moved from the treasury into escrow", ...); ``created(events)``
returns the ids it created (``{"proposal": 3}``).  ``show_result`` prints a
transaction result: with ``-o json`` the result with its ``effects`` and
``created`` fields, otherwise the sentences.  Milestones are numbered from 1.
"""

from __future__ import annotations

from typing import Any, Callable

import typer

from abci_app.tools.cli.common import Output, emit

Attrs = dict[str, str]
_CREATED = {"organization_created": ("organization", "org_id"), "proposal_submitted": ("proposal", "proposal_id"),
            "request_posted": ("request", "request_id"), "offer_made": ("offer", "offer_id"),
            "standing_offer_published": ("standing_offer", "standing_offer_id"),
            "agreement_made": ("agreement", "agreement_id"), "project_created": ("project", "project_id")}


def flatten_events(events: list) -> list[dict]:
    """Turn CometBFT's event JSON into ``[{"type": ..., "attributes": {key: value}}]``."""
    out = []
    for event in events:
        attrs = {a.get("key", ""): a.get("value", "") for a in event.get("attributes", [])}
        out.append({"type": event.get("type", ""), "attributes": attrs})
    return out


def created(events: list[dict]) -> dict[str, int]:
    """The ids the transaction created, by kind (``{"proposal": 3, "request": 2}``)."""
    out: dict[str, int] = {}
    for event in events:
        kind = _CREATED.get(event["type"])
        if kind and event["attributes"].get(kind[1], "").isdigit():
            out.setdefault(kind[0], int(event["attributes"][kind[1]]))
    return out


def _milestone(a: Attrs) -> str:
    number = int(a.get("milestone", "0") or 0) + 1
    return f"milestone {number} of agreement {a.get('agreement_id')}"


_SENTENCES: dict[str, Callable[[Attrs], str]] = {   # addresses are named by ``sentences``
    "transfer": lambda a: f"{a.get('amount')} moved from {a.get('sender')} to {a.get('recipient')}",
    "organization_created": lambda a: f"created organization {a.get('org_id')} ({a.get('name')}), "
                                      f"treasury {a.get('treasury')}",
    "proposal_submitted": lambda a: f"submitted proposal {a.get('proposal_id')} in organization {a.get('org_id')} "
                                    f"({a.get('actions')} action(s))",
    "proposal_vote": lambda a: f"{a.get('voter')} voted {({'1': 'yes', '2': 'no', '3': 'abstain'}).get(a.get('choice', ''), '?')} "
                               f"on proposal {a.get('proposal_id')} with weight {a.get('weight')}",
    "proposal_decided": lambda a: f"proposal {a.get('proposal_id')} {a.get('status')} "
                                  f"(yes {a.get('yes')}, no {a.get('no')}, abstain {a.get('abstain')})",
    "proposal_executed": lambda a: (f"proposal {a.get('proposal_id')} executed its actions"
                                    if a.get("status") == "executed" else
                                    f"proposal {a.get('proposal_id')} failed to execute ({a.get('codespace')}/"
                                    f"{a.get('code')}): {a.get('log')}"),
    "proposal_withdrawn": lambda a: f"withdrew proposal {a.get('proposal_id')}",
    "request_posted": lambda a: f"posted request {a.get('request_id')} (budget {a.get('budget')})",
    "request_closed": lambda a: f"request {a.get('request_id')} closed ({a.get('status')})",
    "offer_made": lambda a: f"made offer {a.get('offer_id')} on request {a.get('request_id')} "
                            f"at price {a.get('price')}",
    "offer_closed": lambda a: f"offer {a.get('offer_id')} closed ({a.get('status')})",
    "standing_offer_published": lambda a: f"published standing offer {a.get('standing_offer_id')} "
                                          f"at price {a.get('price')}",
    "agreement_made": lambda a: f"agreement {a.get('agreement_id')} made: {a.get('price')} moved from "
                                f"{a.get('requester')} into escrow for {a.get('provider')}",
    "milestone_delivered": lambda a: f"{_milestone(a)} delivered",
    "dispute_opened": lambda a: f"{_milestone(a)} disputed by {a.get('opened_by')} (bond {a.get('bond')})",
    "milestone_settled": lambda a: f"{_milestone(a)} {a.get('status')}: {a.get('to_provider')} to the provider, "
                                   f"{a.get('to_requester')} to the requester, {a.get('to_community_pool')} to the "
                                   "community pool",
    "agreement_settled": lambda a: f"agreement {a.get('agreement_id')} settled ({a.get('outcome')})",
    "agreement_rated": lambda a: f"agreement {a.get('agreement_id')}: {a.get('rater')} rated {a.get('rated')} "
                                 f"{a.get('score')}/5",
    "document_published": lambda a: f"published document {a.get('content_hash')}",
    "document_attached": lambda a: f"attached document {a.get('content_hash')} to {a.get('target_kind')} "
                                   f"{a.get('target_id')}",
    "project_created": lambda a: f"created project {a.get('project_id')} with budget {a.get('budget')}",
    "project_budget_changed": lambda a: f"project {a.get('project_id')} budget changed by {a.get('delta')} "
                                        f"to {a.get('budget')}",
    "project_offered": lambda a: f"project {a.get('project_id')} offered to {a.get('target')}",
    "project_transferred": lambda a: f"project {a.get('project_id')} moved to {a.get('target')} with budget "
                                     f"{a.get('budget')}",
    "organization_member_left": lambda a: f"{a.get('member')} left organization {a.get('org_id')}",
    "fee_allowance_granted": lambda a: f"organization {a.get('org_id')} granted {a.get('grantee')} a fee allowance "
                                       f"of {a.get('limit')}",
    "community_pool_spent": lambda a: f"{a.get('amount')} moved from the community pool to {a.get('to')}",
}


def sentences(events: list[dict], names: Callable[[str], str] | None = None) -> list[str]:
    """The effects a person cares about, one line each, in event order (``names`` names the addresses)."""
    def named(attrs: Attrs) -> Attrs:
        if names is None:
            return attrs
        return {k: names(v) if v.startswith("samen1") else v for k, v in attrs.items()}
    return [_SENTENCES[e["type"]](named(e["attributes"])) for e in events if e["type"] in _SENTENCES]


def executed_in_block(block_events: list[dict], proposal_ids: set[str]) -> list[dict]:
    """The end-block events of the proposals ``proposal_ids`` (their actions' events, then ``proposal_executed``)."""
    out: list[dict] = []
    pending: list[dict] = []
    for event in block_events:
        if event["type"] == "proposal_executed":
            if event["attributes"].get("proposal_id") in proposal_ids:
                out += pending + [event]
            pending = []
        elif event["type"] != "due_queue":
            pending.append(event)
    return out


def executions(rpc: Any, result: dict) -> dict:
    """``{"executed": [...]}``: the end-block events of the proposals this transaction passed (same block)."""
    ids = passed(result.get("events", []))
    if not ids:
        return {}
    from abci_app.tools.client.rpc import ClientError
    try:
        block = rpc.block_results(result["height"])
    except ClientError:
        return {}
    return {"executed": executed_in_block(flatten_events(block.get("finalize_block_events") or []), ids)}


def passed(events: list[dict]) -> set[str]:
    """Ids of the proposals this transaction's votes passed."""
    return {e["attributes"].get("proposal_id", "") for e in events
            if e["type"] == "proposal_decided" and e["attributes"].get("status") == "passed"}


def show_result(result: dict, output: Output, names: Callable[[str], str] | None = None) -> None:
    """Print a transaction result (see the module docstring); ``names`` names addresses in the text view."""
    events = result.get("events", []) + result.get("executed", [])
    result = result | {"created": created(events), "effects": sentences(events)}
    if names is not None and output is Output.text:
        result["effects"] = sentences(events, names)
    if output is Output.json:
        emit(result, output)
        return
    if "height" not in result:
        state = "is in the mempool (not yet in a block)" if result.get("code", 0) == 0 else \
            f"was rejected by CheckTx ({result['codespace']}/{result['code']})"
        typer.echo(f"transaction {result['hash']} {state}")
        return
    state = "committed" if result.get("code", 0) == 0 else f"failed ({result['codespace']}/{result['code']})"
    typer.echo(f"transaction {result['hash']} {state} in block {result['height']}")
    for line in result["effects"]:
        typer.echo(f"  {line}")
