"""ABCI query paths of the sub-organizations module (registered in ``components.QUERIES``).

* ``/suborgs/<parent_id>``    the parent's children (JSON array of links: org id, parent id, veto window)
* ``/suborg/<org_id>``        an organization's link to its parent (not found: not a sub-organization)

A child's projects and agreements are those of its treasury (``/org/<child id>``
names it; GraphQL ``subOrganizations`` lists them under the parent).
"""

from __future__ import annotations

from abci_app.chain.query_args import parse_id
from abci_app.chain import codec
from abci_app.chain.domain.organizations.queries import json_array
from abci_app.chain.domain.suborgs import state as suborgs
from abci_app.chain.errors import NotFound, UnknownQuery
from abci_app.chain.state.protocols import StateRead

USAGE = "usage: /suborgs/<parent_id> or /suborg/<org_id>"


def query_children(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) != 1:
        raise UnknownQuery(USAGE)
    links = (suborgs.get(state, child) for child in suborgs.children(state, parse_id(parts[0], USAGE)))
    return json_array(codec.encode_value(link) for link in links if link is not None)


def query_link(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) != 1:
        raise UnknownQuery(USAGE)
    link = suborgs.get(state, parse_id(parts[0], USAGE))
    if link is None:
        raise NotFound(f"organization {parts[0]} is not a sub-organization")
    return codec.encode_value(link)
