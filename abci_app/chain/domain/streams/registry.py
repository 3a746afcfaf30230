"""Registration of the organization tools (streams, delegated votes, roles, sub-organizations) for ``components``.

``ActAsRole`` runs another message kind, so ``components`` registers it with the router bound.
"""

from __future__ import annotations

from abci_app.chain.domain.delegation import handlers as delegation, messages as delegation_msgs
from abci_app.chain.domain.delegation import queries as delegation_queries
from abci_app.chain.domain.roles import handlers as roles, messages as roles_msgs, queries as role_queries
from abci_app.chain.domain.suborgs import handlers as suborgs, messages as suborgs_msgs, queries as suborg_queries
from abci_app.chain.domain.streams import handlers as streams, messages as streams_msgs, queries as stream_queries

HANDLERS = {
    streams_msgs.CreateStream: (streams.check_stateless_create, streams.check_and_execute_create),
    streams_msgs.ClaimStream: (streams.check_stateless_claim, streams.check_and_execute_claim),
    streams_msgs.StopStream: (streams.check_stateless_stop, streams.check_and_execute_stop),
    delegation_msgs.DelegateVote: (delegation.check_stateless_delegate, delegation.check_and_execute_delegate),
    delegation_msgs.RevokeDelegation: (delegation.check_stateless_revoke, delegation.check_and_execute_revoke),
    roles_msgs.GrantRole: (roles.check_stateless_grant, roles.check_and_execute_grant),
    roles_msgs.RevokeRole: (roles.check_stateless_revoke, roles.check_and_execute_revoke),
    suborgs_msgs.CreateSubOrganization: (suborgs.check_stateless_create, suborgs.check_and_execute_create),
    suborgs_msgs.VetoProposal: (suborgs.check_stateless_veto, suborgs.check_and_execute_veto),
    suborgs_msgs.DissolveSubOrganization: (suborgs.check_stateless_dissolve, suborgs.check_and_execute_dissolve),
}

QUERIES = {
    "stream": stream_queries.query_stream,
    "streams": stream_queries.query_streams,
    "delegations": delegation_queries.query,
    "roles": role_queries.query,
    "suborgs": suborg_queries.query_children,
    "suborg": suborg_queries.query_link,
}
