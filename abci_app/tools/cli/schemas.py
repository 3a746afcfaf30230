"""JSON schemas of the ``-o json`` answers, derived from the ledger's own types (kept in ``docs/cli-schemas/``).

``-o json`` prints the node's canonical JSON (the stored dataclass: integers,
strings, booleans, hex for bytes, enum values, ``{"kind", "msg"}`` for a nested
action) or, for the commands that assemble their answer, the fields below.  The
files are generated, never edited: ``python -m abci_app.tools.cli.schemas docs/cli-schemas``
rewrites them, and ``tests/cli/test_output_schemas.py`` fails when they drift from
the code or when a real answer does not match its schema.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sys
import typing
from pathlib import Path
from typing import Any

SCHEMA = "https://json-schema.org/draft/2020-12/schema"
_INT = {"type": "integer", "minimum": 0}
_STR = {"type": "string"}
_HASH = {"type": "string", "pattern": "^([0-9a-f]{64})?$"}
_EVENTS = {"type": "array", "items": {"type": "object", "required": ["type", "attributes"], "properties": {
    "type": _STR, "attributes": {"type": "object", "additionalProperties": _STR}}}}


def of_type(hint: Any) -> dict:
    """The schema of one dataclass field type."""
    from abci_app.chain.context import Action
    if hint is Action:
        return {"type": "object", "required": ["kind", "msg"], "properties": {"kind": _STR, "msg": {"type": "object"}}}
    origin = typing.get_origin(hint)
    if origin is tuple:
        return {"type": "array", "items": of_type(typing.get_args(hint)[0])}
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return {"anyOf": [of_type(a) for a in typing.get_args(hint)]}
    if hint is type(None):
        return {"type": "null"}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return of_dataclass(hint)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return {"enum": [m.value for m in hint]}
    scalars: dict[Any, dict] = {bool: {"type": "boolean"}, int: _INT, str: _STR,
                                bytes: {"type": "string", "pattern": "^[0-9a-f]*$"}}
    return scalars[hint]


def of_dataclass(cls: type) -> dict:
    """An object with every field of ``cls`` required and no others."""
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    return {"type": "object", "required": names, "additionalProperties": False,
            "properties": {n: of_type(hints[n]) for n in names}}


def _obj(properties: dict, required: list[str] | None = None) -> dict:
    return {"type": "object", "required": list(properties) if required is None else required,
            "properties": properties}


def answers() -> dict[str, dict]:
    """Every documented ``-o json`` answer: name -> schema."""
    from abci_app.chain.domain.agreements.state import Agreement
    from abci_app.chain.domain.documents.state import Document
    from abci_app.chain.domain.market.state import Offer, Request, StandingOffer
    from abci_app.chain.domain.organizations.messages import OrgMember
    from abci_app.chain.domain.organizations.state import Organization
    from abci_app.chain.domain.projects.state import HistoryEntry, Project, TransferOffer
    from abci_app.chain.domain.proposals.state import Proposal, VoteRecord
    from abci_app.chain.domain.delegation.state import Delegation, DelegationSnapshot
    from abci_app.chain.domain.roles.state import Role
    from abci_app.chain.domain.streams.state import RecurringCost, Stream
    from abci_app.chain.domain.suborgs.state import SubLink
    counts = {"type": "object", "additionalProperties": _INT}
    histogram = _obj({"count": _INT, "median": _INT, "p90": _INT, "buckets": {"type": "array", "items": _INT}})
    out = {
        "account": _obj({"address": _STR, "balance": _INT, "sequence": _INT, "height": _INT}),
        "status": _obj({"chain_id": _STR, "moniker": _STR, "node_id": _STR, "latest_block_height": _INT,
                        "latest_block_time": _STR, "latest_app_hash": _STR, "catching_up": {"type": "boolean"},
                        "node": _STR}),
        "tx-result": _obj({"hash": _STR, "code": _INT, "codespace": _STR, "log": _STR, "height": _INT,
                           "events": _EVENTS, "created": {"type": "object", "additionalProperties": _INT},
                           "effects": {"type": "array", "items": _STR}},
                          ["hash", "code", "codespace", "log", "created", "effects"]),
        "org": of_dataclass(Organization), "proposal": of_dataclass(Proposal),
        "proposal-votes": {"type": "array", "items": of_dataclass(VoteRecord)},
        "proposal-voters": {"type": "array", "items": of_dataclass(OrgMember)},
        "request": of_dataclass(Request), "request-offers": {"type": "array", "items": of_dataclass(Offer)},
        "offer": of_dataclass(Offer), "standing-offer": of_dataclass(StandingOffer),
        "agreement": of_dataclass(Agreement),
        "project": _obj({"project": of_dataclass(Project),
                         "transfer_offer": {"anyOf": [{"type": "null"}, of_dataclass(TransferOffer)]},
                         "open_requests": {"type": "array", "items": _INT},
                         "open_agreements": {"type": "array", "items": _INT}}),
        "project-history": {"type": "array", "items": of_dataclass(HistoryEntry)},
        "document": _obj({"document": of_dataclass(Document), "successor": _HASH}),
        "reputation": _obj({"address": _STR, "tag": _STR, "counts": counts, "score": _INT, "score_time": _INT,
                            "half_life": _INT, "tags": {"type": "array", "items": _STR}},
                           ["address", "tag", "counts", "score", "score_time", "half_life"]),
        "friction": {"type": "array", "items": {"type": "object", "required": ["period"], "properties": {
            "period": _INT, **{d: histogram for d in ("to_first_offer", "to_agreement", "to_delivery",
                                                      "to_settlement")}}}},
        "stream": of_dataclass(Stream), "streams": {"type": "array", "items": of_dataclass(Stream)},
        "recurring-cost": of_dataclass(RecurringCost),
        "delegations": {"type": "array", "items": of_dataclass(Delegation)},
        "delegation-snapshot": of_dataclass(DelegationSnapshot),
        "role": of_dataclass(Role), "roles": {"type": "array", "items": of_dataclass(Role)},
        "suborgs": {"type": "array", "items": of_dataclass(SubLink)},
    }
    return {name: {"$schema": SCHEMA, "title": f"samen query/tx -o json: {name}", **schema}
            for name, schema in out.items()}


def write(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, schema in answers().items():
        (directory / f"{name}.json").write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n")


if __name__ == "__main__":
    write(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/cli-schemas"))
