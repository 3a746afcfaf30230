"""The state machine's parts in execution order: genesis sections, handlers, block hooks.

``HANDLERS`` maps each message dataclass to its two phases:
``check_stateless(msg, ctx)`` (pure) and ``check_and_execute(state, block, ctx, msg)``
(returns typed events).  ``END_BLOCK`` hooks run after the block's transactions
(time-driven transitions: expiries, automatic execution) and must not raise
``LedgerError``.
"""

from __future__ import annotations

from functools import partial

from abci_app.chain.domain.accounts import handlers as accounts_handlers
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import dissolution as org_dissolution, fees as org_fees, handlers as org_handlers
from abci_app.chain.domain.organizations import queries as org_queries
from abci_app.chain.domain.organizations import messages as org_msgs
from abci_app.chain.domain.proposals import execution as proposal_execution, handlers as proposal_handlers
from abci_app.chain.domain.proposals import messages as proposal_msgs, queries as proposal_queries
from abci_app.chain.domain.market import registry as market_family
from abci_app.chain.domain.roles import expiry as roles_expiry, handlers as roles_handlers, messages as roles_msgs
from abci_app.chain.domain.streams import registry as org_tools
from abci_app.chain.domain.validators import genesis as validators_genesis, handlers as validators_handlers
from abci_app.chain.domain.validators import messages as validators_msgs, network as network_handlers
from abci_app.chain.domain.validators import queries as validators_queries
from abci_app.chain.domain.validators.messages import UpdateValidator
from abci_app.chain.domain.upgrades import handlers as upgrade_handlers, messages as upgrade_msgs
from abci_app.chain.domain.upgrades import queries as upgrade_queries

HANDLERS = {
    Transfer: (accounts_handlers.check_stateless_transfer, accounts_handlers.check_and_execute_transfer),
    org_msgs.CreateOrganization: (org_handlers.check_stateless_create, org_handlers.check_and_execute_create),
    org_msgs.LeaveOrganization: (org_handlers.check_stateless_leave, org_handlers.check_and_execute_leave),
    org_msgs.UpdateMembers: (org_handlers.check_stateless_update_members, org_handlers.check_and_execute_update_members),
    org_msgs.UpdatePolicy: (org_handlers.check_stateless_update_policy, org_handlers.check_and_execute_update_policy),
    org_msgs.SweepTreasury: (org_handlers.check_stateless_sweep, org_handlers.check_and_execute_sweep),
    org_msgs.GrantFeeAllowance: (org_fees.check_stateless_grant, org_fees.check_and_execute_grant),
    org_msgs.RevokeFeeAllowance: (org_fees.check_stateless_revoke, org_fees.check_and_execute_revoke),
    proposal_msgs.Vote: (proposal_handlers.check_stateless_vote, proposal_handlers.check_and_execute_vote),
    proposal_msgs.WithdrawProposal: (proposal_handlers.check_stateless_withdraw,
                                     proposal_handlers.check_and_execute_withdraw),
    **market_family.HANDLERS,   # documents, market, agreements, projects
    UpdateValidator: (validators_handlers.check_stateless_update, validators_handlers.check_and_execute_update),
    validators_msgs.SpendCommunityPool: (network_handlers.check_stateless_spend, network_handlers.check_and_execute_spend),
    validators_msgs.UpdateMarketParams: (network_handlers.check_stateless_update_params,
                                         network_handlers.check_and_execute_update_params),
    upgrade_msgs.ScheduleUpgrade: (upgrade_handlers.check_stateless_schedule, upgrade_handlers.check_and_execute_schedule),
    upgrade_msgs.CancelUpgrade: (upgrade_handlers.check_stateless_cancel, upgrade_handlers.check_and_execute_cancel),
    **org_tools.HANDLERS,   # streams, delegation, roles, sub-organizations
}

# A proposal's actions are messages: its stateless check and its execution get this router.
HANDLERS[proposal_msgs.SubmitProposal] = (partial(proposal_handlers.check_stateless_submit, router=HANDLERS),
                                          proposal_handlers.check_and_execute_submit)

# A role's action is a message too.
HANDLERS[roles_msgs.ActAsRole] = (partial(roles_handlers.check_stateless_act, router=HANDLERS),
                                  partial(roles_handlers.check_and_execute_act, router=HANDLERS))

# Extra genesis sections: name -> ``init(state, section_or_None)``, after params and accounts.
GENESIS: dict = {**market_family.GENESIS, "validators": validators_genesis.init_genesis}

# ``BEGIN_BLOCK`` hooks run before the block's transactions; the upgrade step may raise ``UpgradeHalt`` (the node stops).
BEGIN_BLOCK: tuple = (upgrade_handlers.begin_block,)
END_BLOCK: tuple = (partial(proposal_execution.end_block, router=HANDLERS), org_dissolution.end_block, *market_family.END_BLOCK,
                      roles_expiry.end_block)

# Resolves who pays when a transaction names a ``fee_payer``: ``(state, block, ctx) -> address``
# (raises ``LedgerError`` to reject); organizations' fee allowances.
FEE_PAYER = org_fees.fee_payer

# ABCI query paths: first path segment -> ``fn(state, remaining_parts) -> bytes`` (raises ``LedgerError``).
QUERIES: dict = {
    "org": org_queries.query,
    "proposal": proposal_queries.query_proposal,
    "proposals": proposal_queries.query_proposals,
    **market_family.QUERIES,
    "validators": validators_queries.query,
    "upgrade": upgrade_queries.query,
    **org_tools.QUERIES,
}
