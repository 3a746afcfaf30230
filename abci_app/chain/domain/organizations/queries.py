"""ABCI query paths of the organizations module (registered in ``components.QUERIES``).

* ``/org/<id>``                          the organization (canonical JSON)
* ``/org/<id>/allowances``               its fee allowances (JSON array)
* ``/org/<id>/allowance/<address>``      one fee allowance
* ``/org/treasury/<address>``            the organization owning a treasury address
* ``/org/dissolving``                     ids of dissolved organizations whose cascade is still queued, oldest
                                         first (JSON array; processed at ``max_due_per_block`` steps per block)
"""

from __future__ import annotations

from typing import Any, Iterable

from abci_app.chain import codec
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.errors import NotFound, UnknownQuery
from abci_app.chain.query_args import parse_id
from abci_app.chain.state.protocols import StateRead


def query(state: StateRead, parts: list[str]) -> bytes:
    if parts == ["dissolving"]:
        return json_array(b"%d" % org_id for org_id in orgs.dissolving(state))
    if len(parts) == 2 and parts[0] == "treasury":
        org_id = orgs.by_treasury(state, parts[1])
        if org_id is None:
            raise NotFound(f"{parts[1]} is not an organization's treasury")
        return codec.encode_value(orgs.require(state, org_id))
    org = orgs.get(state, _id(parts[0] if parts else ""))
    if org is None:
        raise NotFound(f"organization {parts[0]} not found")
    if len(parts) == 1:
        return codec.encode_value(org)
    if parts[1:] == ["allowances"]:
        return json_array(codec.encode_value(a) for a in orgs.allowances(state, org.id))
    if len(parts) == 3 and parts[1] == "allowance":
        grant = orgs.allowance(state, org.id, parts[2])
        if grant is None:
            raise NotFound(f"no fee allowance for {parts[2]} from organization {org.id}")
        return codec.encode_value(grant)
    raise UnknownQuery(f"unknown query path /org/{'/'.join(parts)}")


def _id(text: str) -> int:
    return parse_id(text, "usage: /org/<id>[/allowances | /allowance/<address>]")


def json_array(items: Iterable[Any]) -> bytes:
    return b"[" + b",".join(items) + b"]"
