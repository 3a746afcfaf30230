"""Registry of transaction actions: the ``Action.kind`` oneof field name -> message dataclass.

Each domain package defines its messages in ``messages.py``; a new message is added
to ``proto/samen/v1/tx.proto`` (same field names), here, and to
``abci_app/chain/components.py`` (its handlers).
"""

from __future__ import annotations

from abci_app.chain.action import Action  # noqa: F401  (re-exported; its own module avoids an import cycle)
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations.messages import (CreateOrganization, GrantFeeAllowance, LeaveOrganization,
                                                    RevokeFeeAllowance, SweepTreasury, UpdateMembers, UpdatePolicy)
from abci_app.chain.domain.proposals.messages import SubmitProposal, Vote, WithdrawProposal
from abci_app.chain.domain.agreements import messages as agreements_msgs
from abci_app.chain.domain.documents import messages as documents_msgs
from abci_app.chain.domain.market import messages as market_msgs
from abci_app.chain.domain.projects import messages as projects_msgs
from abci_app.chain.domain.delegation import messages as delegation_msgs
from abci_app.chain.domain.upgrades.messages import CancelUpgrade, ScheduleUpgrade
from abci_app.chain.domain.roles import messages as roles_msgs
from abci_app.chain.domain.streams import messages as streams_msgs
from abci_app.chain.domain.suborgs import messages as suborgs_msgs
from abci_app.chain.domain.validators.messages import SpendCommunityPool, UpdateMarketParams, UpdateValidator


ACTIONS: dict[str, type] = {
    "transfer": Transfer,
    "create_organization": CreateOrganization,
    "submit_proposal": SubmitProposal,
    "vote": Vote,
    "withdraw_proposal": WithdrawProposal,
    "leave_organization": LeaveOrganization,
    "update_members": UpdateMembers,
    "update_policy": UpdatePolicy,
    "grant_fee_allowance": GrantFeeAllowance,
    "revoke_fee_allowance": RevokeFeeAllowance,
    "sweep_treasury": SweepTreasury,
    # documents, market, agreements, projects (proto fields 50-72)
    "publish_document": documents_msgs.PublishDocument,
    "attach_document": documents_msgs.AttachDocument,
    "post_request": market_msgs.PostRequest,
    "withdraw_request": market_msgs.WithdrawRequest,
    "make_offer": market_msgs.MakeOffer,
    "withdraw_offer": market_msgs.WithdrawOffer,
    "accept_offer": market_msgs.AcceptOffer,
    "publish_standing_offer": market_msgs.PublishStandingOffer,
    "withdraw_standing_offer": market_msgs.WithdrawStandingOffer,
    "take_standing_offer": market_msgs.TakeStandingOffer,
    "deliver_milestone": agreements_msgs.DeliverMilestone,
    "accept_milestone": agreements_msgs.AcceptMilestone,
    "reclaim_milestone": agreements_msgs.ReclaimMilestone,
    "dispute_milestone": agreements_msgs.DisputeMilestone,
    "resolve_dispute": agreements_msgs.ResolveDispute,
    "cancel_agreement": agreements_msgs.CancelAgreement,
    "rate_agreement": agreements_msgs.RateAgreement,
    "create_project": projects_msgs.CreateProject,
    "fund_project": projects_msgs.FundProject,
    "withdraw_project_budget": projects_msgs.WithdrawProjectBudget,
    "offer_project": projects_msgs.OfferProject,
    "withdraw_project_offer": projects_msgs.WithdrawProjectOffer,
    "accept_project": projects_msgs.AcceptProject,
    # validator-set governance (proto fields 100-109)
    "update_validator": UpdateValidator,
    # the network organization: community pool and market parameters (proto fields 110-119)
    "spend_community_pool": SpendCommunityPool,
    "update_market_params": UpdateMarketParams,
    # the network organization: software upgrades (proto fields 112-119)
    "schedule_upgrade": ScheduleUpgrade,
    "cancel_upgrade": CancelUpgrade,
    # recurring payments, delegated votes, roles, sub-organizations (proto fields 120-149)
    "create_stream": streams_msgs.CreateStream,
    "claim_stream": streams_msgs.ClaimStream,
    "stop_stream": streams_msgs.StopStream,
    "delegate_vote": delegation_msgs.DelegateVote,
    "revoke_delegation": delegation_msgs.RevokeDelegation,
    "grant_role": roles_msgs.GrantRole,
    "revoke_role": roles_msgs.RevokeRole,
    "act_as_role": roles_msgs.ActAsRole,
    "create_sub_organization": suborgs_msgs.CreateSubOrganization,
    "veto_proposal": suborgs_msgs.VetoProposal,
    "dissolve_sub_organization": suborgs_msgs.DissolveSubOrganization,
}
