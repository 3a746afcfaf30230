"""ABCI query paths of the delegation module (registered in ``components.QUERIES``).

* ``/delegations/<org_id>``                    every delegation in the organization, by delegator (JSON array; at
  most ``MAX_MEMBERS`` x ``MAX_PER_MEMBER``)
* ``/delegations/<org_id>/<address>``          the delegations ``address`` gave in the organization (JSON array)
* ``/delegations/<org_id>/<address>/backers``  the delegations naming ``address`` (who votes through whom)
* ``/delegations/proposal/<proposal_id>``      a proposal's delegation snapshot (tags and paths)
* ``/delegations/proposal/<proposal_id>/direct``  the direct votes' tallies (what an early decision uses)
"""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.delegation import state as delegations
from abci_app.chain.domain.organizations.queries import json_array
from abci_app.chain.errors import NotFound, UnknownQuery
from abci_app.chain.query_args import parse_id
from abci_app.chain.state.protocols import StateRead

USAGE = "usage: /delegations/<org_id>[/<address>[/backers]] or /delegations/proposal/<proposal_id>"


def query(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) in (2, 3) and parts[0] == "proposal":
        snap = delegations.get_snapshot(state, parse_id(parts[1], USAGE))
        if snap is None:
            raise NotFound(f"proposal {parts[1]} has no delegation snapshot (no tags and nobody delegated)")
        if parts[2:] == ["direct"]:
            return codec.encode_value(delegations.get_direct(state, snap.proposal_id))
        return codec.encode_value(snap) if len(parts) == 2 else _unknown()
    if len(parts) == 1:
        return json_array(codec.encode_value(d) for d in delegations.of_org(state, parse_id(parts[0], USAGE)))
    if len(parts) == 2:
        items = delegations.of_delegator(state, parse_id(parts[0], USAGE), parts[1])
        return json_array(codec.encode_value(d) for d in items)
    if len(parts) == 3 and parts[2] == "backers":
        return json_array(codec.encode_value(d) for d in delegations.backers(state, parse_id(parts[0], USAGE), parts[1]))
    return _unknown()


def _unknown() -> bytes:
    raise UnknownQuery(USAGE)
