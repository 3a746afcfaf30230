"""Handlers of the proposals module: submit, vote, withdraw.

Rules written down in ``docs/lifecycles.md``:
* only a current member of an active organization may submit;
* only a voter in the proposal's snapshot may vote, once (a vote is final and
  cannot be changed), while the proposal is VOTING and block time < voting_end;
  a member who left after submission still votes with the snapshotted weight;
* only the proposer may withdraw, and only before anyone has voted.
"""

from __future__ import annotations

from dataclasses import replace

from abci_app.chain.context import BlockInfo, Router, TxContext
from abci_app.chain.domain.accounts.handlers import check_text
from abci_app.chain.domain.delegation import handlers as delegation
from abci_app.chain.domain.market.checks import check_tags
from abci_app.chain.domain.suborgs import handlers as suborgs
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.proposals import events, keys, state as proposals, tally
from abci_app.chain.domain.proposals.execution import action_context, decide
from abci_app.chain.domain.proposals.messages import ABSTAIN, CHOICES, NO, YES, SubmitProposal, Vote, WithdrawProposal
from abci_app.chain.domain.proposals.state import Proposal, VoteRecord
from abci_app.chain.errors import (AlreadyVoted, InvalidProposal, InvalidVoteChoice, NotAMember, NotAVoter,
                             NotTheProposer, VotingClosed, WithdrawNotAllowed)
from abci_app.chain.state.protocols import StateWrite

MAX_ACTIONS = 16


# -- SubmitProposal ------------------------------------------------------------------------


def check_stateless_submit(msg: SubmitProposal, ctx: TxContext, *, router: Router) -> None:
    """Check texts and every action's own stateless rules (looked up in ``router``), as the organization would send it."""
    if not msg.title.strip():
        raise InvalidProposal("proposal title must not be empty")
    check_text(msg.title, ctx.params.max_memo_bytes, "proposal title")
    check_text(msg.description, ctx.params.max_text_bytes, "proposal description")
    check_tags(msg.tags)
    if not 1 <= len(msg.actions) <= MAX_ACTIONS:
        raise InvalidProposal(f"a proposal carries 1 to {MAX_ACTIONS} actions, got {len(msg.actions)}")
    treasury = orgs.treasury_address(msg.org_id)
    for index, action in enumerate(msg.actions):
        if type(action) not in router:
            raise InvalidProposal(f"action {index} is empty or unknown")
        check_stateless, _ = router[type(action)]
        check_stateless(action, action_context(treasury, 0, index, ctx.params))


def check_and_execute_submit(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: SubmitProposal) -> list[object]:
    """Open a proposal with the current members, weights and policy as its snapshot."""
    org = orgs.require_active(state, msg.org_id)
    if orgs.weight_of(org.members, ctx.signer) == 0:
        raise NotAMember(f"{ctx.signer} is not a member of organization {org.id}")
    policy = suborgs.policy_for(state, org)   # a sub-organization's proposals wait out the parent's veto window
    proposal = Proposal(proposals.next_id(state), org.id, ctx.signer, msg.title, msg.description, msg.actions,
                        policy, orgs.total_weight(org.members), block.time,
                        block.time + policy.voting_period, proposals.VOTING)
    proposals.create(state, proposal, org.members)
    delegation.snapshot_at_submission(state, proposal, org.members, msg.tags)
    return [events.ProposalSubmitted(proposal.id, org.id, ctx.signer, len(msg.actions), proposal.voting_end)]


# -- Vote ----------------------------------------------------------------------------------


def check_stateless_vote(msg: Vote, ctx: TxContext) -> None:
    if msg.choice not in CHOICES:
        raise InvalidVoteChoice(f"vote choice must be 1 (yes), 2 (no) or 3 (abstain), got {msg.choice}")
    check_text(msg.reason, ctx.params.max_memo_bytes, "vote reason")


def require_voting(proposal: Proposal, block: BlockInfo) -> None:
    if proposal.status != proposals.VOTING:
        raise VotingClosed(f"proposal {proposal.id} is not open for voting: it is already decided "
                           f"(status {proposal.status}) and votes are final")
    if block.time >= proposal.voting_end:
        raise VotingClosed(f"proposal {proposal.id} is not open for voting (voting ended at {proposal.voting_end})")


def check_and_execute_vote(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: Vote) -> list[object]:
    """Record the vote with the snapshotted weight; decide at once if the outcome is settled.

    Cost: the voter's weight, its vote key, the proposal record (bounded by its
    actions, not its voters) and, with delegation, the paths through the voter.

    With a delegation snapshot the vote also moves its backers' weight
    (``delegation.count_vote``), and the early decision looks only at direct votes,
    since a backer may still vote itself and override; the final count at the end
    of voting includes delegated weight.
    """
    proposal = proposals.require(state, msg.proposal_id)
    require_voting(proposal, block)
    orgs.require_active_status(state, proposal.org_id)
    weight = proposals.voter_weight(state, proposal.id, ctx.signer)
    if weight == 0:
        raise NotAVoter(f"{ctx.signer} was not a member of organization {proposal.org_id} when proposal "
                        f"{proposal.id} was submitted")
    if proposals.get_vote(state, proposal.id, ctx.signer) is not None:
        raise AlreadyVoted(f"{ctx.signer} already voted on proposal {proposal.id}; votes are final")
    delta, direct, counted = delegation.count_vote(state, proposal, ctx.signer, msg.choice, weight)
    proposals.put_vote(state, VoteRecord(proposal.id, ctx.signer, msg.choice, weight, msg.reason, block.time))
    proposal = replace(proposal, yes=proposal.yes + delta[YES], no=proposal.no + delta[NO],
                       abstain=proposal.abstain + delta[ABSTAIN])
    proposals.put(state, proposal)
    out: list[object] = [events.VoteCast(proposal.id, ctx.signer, msg.choice, weight), *counted]
    yes, no, abstain = direct or (proposal.yes, proposal.no, proposal.abstain)
    status = tally.outcome(proposal.policy, proposal.total_weight, yes, no, abstain, final=False)
    if status is not None:
        out.extend(decide(state, block, proposal, status))
    return out


# -- WithdrawProposal ----------------------------------------------------------------------


def check_stateless_withdraw(msg: WithdrawProposal, ctx: TxContext) -> None:
    """Nothing to check without state."""


def check_and_execute_withdraw(state: StateWrite, block: BlockInfo, ctx: TxContext,
                               msg: WithdrawProposal) -> list[object]:
    proposal = proposals.require(state, msg.proposal_id)
    if ctx.signer != proposal.proposer:
        raise NotTheProposer(f"only the proposer {proposal.proposer} may withdraw proposal {proposal.id}")
    require_voting(proposal, block)
    if proposal.yes + proposal.no + proposal.abstain:
        raise WithdrawNotAllowed(f"proposal {proposal.id} already has votes; the members decide it now")
    decided = replace(proposal, status=proposals.WITHDRAWN, decided_at=block.time)
    state.delete(keys.timed(keys.VOTING_ENDS, proposal.voting_end, proposal.id))
    proposals.put(state, decided)
    return [events.ProposalWithdrawn(proposal.id)]
