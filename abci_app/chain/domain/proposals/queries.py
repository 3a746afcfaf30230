"""ABCI query paths of the proposals module (registered in ``components.QUERIES``).

* ``/proposal/<id>``                  the proposal (canonical JSON)
* ``/proposal/<id>/votes``            its votes (JSON array, by voter address)
* ``/proposal/<id>/voters``           its voters with their snapshotted weights (JSON array, by address)
* ``/proposal/<id>/vote/<address>``   one vote
* ``/proposals/<org_id>``             an organization's proposals (JSON array, by id)
"""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.organizations.queries import json_array
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.errors import NotFound, UnknownQuery
from abci_app.chain.query_args import parse_id
from abci_app.chain.state.protocols import StateRead


def query_proposal(state: StateRead, parts: list[str]) -> bytes:
    found = proposals.get(state, _id(parts[0] if parts else ""))
    if found is None:
        raise NotFound(f"proposal {parts[0]} not found")
    if len(parts) == 1:
        return codec.encode_value(found)
    if parts[1:] == ["votes"]:
        return json_array(codec.encode_value(v) for v in proposals.votes(state, found.id))
    if parts[1:] == ["voters"]:
        return json_array(codec.encode_value(v) for v in proposals.voters(state, found.id))
    if len(parts) == 3 and parts[1] == "vote":
        vote = proposals.get_vote(state, found.id, parts[2])
        if vote is None:
            raise NotFound(f"{parts[2]} has not voted on proposal {found.id}")
        return codec.encode_value(vote)
    raise UnknownQuery(f"unknown query path /proposal/{'/'.join(parts)}")


def query_proposals(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) != 1:
        raise UnknownQuery("usage: /proposals/<org_id>")
    return json_array(codec.encode_value(p) for p in proposals.of_org(state, _id(parts[0])))


def _id(text: str) -> int:
    return parse_id(text, "usage: /proposal/<id>[/votes | /voters | /vote/<address>] or /proposals/<org_id>")
