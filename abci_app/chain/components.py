"""The state machine's parts in execution order: the router, genesis sections, block hooks, query paths.

``ROUTER`` is the one registry of message kinds: one line per ``Action.kind`` oneof field
(``proto/samen/v1/tx.proto``) giving ``(check_stateless, check_and_execute)``; building it
fails unless the lines and the ``oneof`` name the same kinds (``abci_app.chain.router``).
Adding a message kind means: its field in the ``oneof``, its dataclass and handlers in its
domain package, and one line below.  ``check_stateless(msg, ctx)`` is pure;
``check_and_execute(state, block, ctx, msg)`` returns typed events.  ``routed(fn)`` marks a
phase that runs other messages and gets the router as its ``router`` keyword.

``BEGIN_BLOCK`` hooks run before the block's transactions, ``END_BLOCK`` hooks after them
(time-driven transitions: expiries, automatic execution) and must not raise ``LedgerError``.
No domain module imports this module: what needs the router receives it.
"""

from __future__ import annotations

from typing import Any, Callable

from abci_app.chain.domain.accounts import handlers as accounts
from abci_app.chain.domain.agreements import cancel, handlers as agreements, settle
from abci_app.chain.domain.delegation import handlers as delegation, queries as delegation_queries
from abci_app.chain.domain.documents import handlers as documents
from abci_app.chain.domain.market import handlers as market, params as market_params, queries as market_queries
from abci_app.chain.domain.market import standing
from abci_app.chain.domain.organizations import dissolution, fees, handlers as orgs, queries as org_queries
from abci_app.chain.domain.projects import handlers as projects
from abci_app.chain.domain.proposals import execution as proposal_execution, handlers as proposals
from abci_app.chain.domain.proposals import queries as proposal_queries
from abci_app.chain.domain.roles import expiry as role_expiry, handlers as roles, queries as role_queries
from abci_app.chain.domain.streams import handlers as streams, queries as stream_queries
from abci_app.chain.domain.suborgs import handlers as suborgs, queries as suborg_queries
from abci_app.chain.domain.upgrades import handlers as upgrades, queries as upgrade_queries
from abci_app.chain.domain.validators import genesis as validators_genesis, handlers as validators
from abci_app.chain.domain.validators import network, queries as validators_queries
from abci_app.chain.messages import KINDS
from abci_app.chain.router import Router, routed

ROUTER = Router(KINDS, {
    "transfer": (accounts.check_stateless_transfer, accounts.check_and_execute_transfer),
    # organizations and proposals
    "create_organization": (orgs.check_stateless_create, orgs.check_and_execute_create),
    "submit_proposal": (routed(proposals.check_stateless_submit), proposals.check_and_execute_submit),
    "vote": (proposals.check_stateless_vote, proposals.check_and_execute_vote),
    "withdraw_proposal": (proposals.check_stateless_withdraw, proposals.check_and_execute_withdraw),
    "leave_organization": (orgs.check_stateless_leave, orgs.check_and_execute_leave),
    "update_members": (orgs.check_stateless_update_members, orgs.check_and_execute_update_members),
    "update_policy": (orgs.check_stateless_update_policy, orgs.check_and_execute_update_policy),
    "grant_fee_allowance": (fees.check_stateless_grant, fees.check_and_execute_grant),
    "revoke_fee_allowance": (fees.check_stateless_revoke, fees.check_and_execute_revoke),
    "sweep_treasury": (orgs.check_stateless_sweep, orgs.check_and_execute_sweep),
    # documents, market, agreements, projects
    "publish_document": (documents.check_stateless_publish, documents.check_and_execute_publish),
    "attach_document": (documents.check_stateless_attach, documents.check_and_execute_attach),
    "post_request": (market.check_stateless_post_request, market.check_and_execute_post_request),
    "withdraw_request": (market.check_stateless_withdraw_request, market.check_and_execute_withdraw_request),
    "make_offer": (market.check_stateless_make_offer, market.check_and_execute_make_offer),
    "withdraw_offer": (market.check_stateless_withdraw_offer, market.check_and_execute_withdraw_offer),
    "accept_offer": (market.check_stateless_accept_offer, market.check_and_execute_accept_offer),
    "publish_standing_offer": (standing.check_stateless_publish, standing.check_and_execute_publish),
    "withdraw_standing_offer": (standing.check_stateless_withdraw, standing.check_and_execute_withdraw),
    "take_standing_offer": (standing.check_stateless_take, standing.check_and_execute_take),
    "deliver_milestone": (agreements.check_stateless_deliver, agreements.check_and_execute_deliver),
    "accept_milestone": (agreements.check_stateless_accept, agreements.check_and_execute_accept),
    "reclaim_milestone": (agreements.check_stateless_reclaim, agreements.check_and_execute_reclaim),
    "dispute_milestone": (agreements.check_stateless_dispute, agreements.check_and_execute_dispute),
    "resolve_dispute": (agreements.check_stateless_resolve, agreements.check_and_execute_resolve),
    "cancel_agreement": (cancel.check_stateless_cancel, cancel.check_and_execute_cancel),
    "rate_agreement": (agreements.check_stateless_rate, agreements.check_and_execute_rate),
    "create_project": (projects.check_stateless_create, projects.check_and_execute_create),
    "fund_project": (projects.check_stateless_fund, projects.check_and_execute_fund),
    "withdraw_project_budget": (projects.check_stateless_withdraw_budget, projects.check_and_execute_withdraw_budget),
    "offer_project": (projects.check_stateless_offer, projects.check_and_execute_offer),
    "withdraw_project_offer": (projects.check_stateless_withdraw_offer, projects.check_and_execute_withdraw_offer),
    "accept_project": (projects.check_stateless_accept, projects.check_and_execute_accept),
    # validator set, community pool, market parameters, software upgrades (the network organization)
    "update_validator": (validators.check_stateless_update, validators.check_and_execute_update),
    "spend_community_pool": (network.check_stateless_spend, network.check_and_execute_spend),
    "update_market_params": (network.check_stateless_update_params, network.check_and_execute_update_params),
    "schedule_upgrade": (upgrades.check_stateless_schedule, upgrades.check_and_execute_schedule),
    "cancel_upgrade": (upgrades.check_stateless_cancel, upgrades.check_and_execute_cancel),
    # recurring payments, delegated votes, roles, sub-organizations
    "create_stream": (streams.check_stateless_create, streams.check_and_execute_create),
    "claim_stream": (streams.check_stateless_claim, streams.check_and_execute_claim),
    "stop_stream": (streams.check_stateless_stop, streams.check_and_execute_stop),
    "delegate_vote": (delegation.check_stateless_delegate, delegation.check_and_execute_delegate),
    "revoke_delegation": (delegation.check_stateless_revoke, delegation.check_and_execute_revoke),
    "grant_role": (roles.check_stateless_grant, roles.check_and_execute_grant),
    "revoke_role": (roles.check_stateless_revoke, roles.check_and_execute_revoke),
    "act_as_role": (routed(roles.check_stateless_act), routed(roles.check_and_execute_act)),
    "create_sub_organization": (suborgs.check_stateless_create, suborgs.check_and_execute_create),
    "veto_proposal": (suborgs.check_stateless_veto, suborgs.check_and_execute_veto),
    "dissolve_sub_organization": (suborgs.check_stateless_dissolve, suborgs.check_and_execute_dissolve),
})

# Extra genesis sections: name -> ``init(state, section_or_None)``, after params and accounts.
GENESIS: dict[str, Callable[..., None]] = {"market": market_params.init_genesis,
                                           "validators": validators_genesis.init_genesis}


def _proposals_end_block(state: Any, block: Any) -> list[Any]:
    """Proposal transitions and automatic execution, with the router (a proposal's actions are messages)."""
    return proposal_execution.end_block(state, block, router=ROUTER)


# The upgrade step may raise ``UpgradeHalt`` (the node stops).
BEGIN_BLOCK: tuple[Callable[..., list[Any]], ...] = (upgrades.begin_block,)
# Proposals first, then dissolutions; requests expire before agreements settle, then project transfer
# offers expire, expired roles leave state; last, the validators' hook records misbehaviour and reports the
# validator-set changes.
END_BLOCK: tuple[Callable[..., list[Any]], ...] = (_proposals_end_block, dissolution.end_block, market.end_block,
                                                   settle.end_block, projects.end_block, role_expiry.end_block,
                                                   validators.end_block)

# Resolves who pays when a transaction names a ``fee_payer``: ``(state, block, ctx) -> address``
# (raises ``LedgerError`` to reject); organizations' fee allowances.
FEE_PAYER = fees.fee_payer

# ABCI query paths: first path segment -> ``fn(state, remaining_parts) -> bytes`` (raises ``LedgerError``).
QUERIES: dict[str, Callable[..., bytes]] = {
    "org": org_queries.query,
    "proposal": proposal_queries.query_proposal,
    "proposals": proposal_queries.query_proposals,
    **market_queries.QUERIES,
    "validators": validators_queries.query,
    "upgrade": upgrade_queries.query,
    "stream": stream_queries.query_stream,
    "streams": stream_queries.query_streams,
    "delegations": delegation_queries.query,
    "roles": role_queries.query,
    "suborgs": suborg_queries.query_children,
    "suborg": suborg_queries.query_link,
}
