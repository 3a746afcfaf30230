"""ABCI query paths of the roles module (registered in ``components.QUERIES``).

* ``/roles/<org_id>``          an organization's roles (JSON array, by name; an expired one until the expiry queue removes it)
* ``/roles/<org_id>/<name>``   one role

The period's remaining budget at block time ``t`` is ``roles.state.remaining``:
``limit - spent`` if ``(t - granted_at) // period == period_index``, else ``limit``
(0 once ``t >= expires_at``); GraphQL's ``Role.remaining`` computes it at the answer's block time.
"""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.organizations.queries import json_array
from abci_app.chain.domain.roles import state as roles
from abci_app.chain.errors import NotFound, UnknownQuery
from abci_app.chain.query_args import parse_id
from abci_app.chain.state.protocols import StateRead

USAGE = "usage: /roles/<org_id>[/<name>]"


def query(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) not in (1, 2):
        raise UnknownQuery(USAGE)
    org_id = parse_id(parts[0], USAGE)
    if len(parts) == 1:
        return json_array(codec.encode_value(r) for r in roles.of_org(state, org_id))
    found = roles.get(state, org_id, parts[1])
    if found is None:
        raise NotFound(f"organization {org_id} has no role {parts[1]!r}")
    return codec.encode_value(found)
