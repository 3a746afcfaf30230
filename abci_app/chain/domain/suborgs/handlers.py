"""Handlers of the sub-organizations module, and the hook the proposals module calls at submission.

Rules (``docs/lifecycles.md``, "Sub-organizations"):
* only an active parent, by proposal, creates a child, vetoes its proposals or dissolves it;
* ``veto_window`` is at least the parent's decision time (voting period + minimum delay)
  and at most 366 days; the child's proposals are snapshotted with a minimum delay of
  at least ``veto_window``, so each passed proposal waits that long before it runs;
* a veto is accepted while the proposal is voting, or passed and not yet run; a
  vetoed proposal leaves both time indexes, so it never runs.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.handlers import check_text
from abci_app.chain.domain.organizations import dissolution, handlers as org_handlers
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import CreateOrganization, OrgPolicy
from abci_app.chain.domain.proposals import keys as proposal_keys, state as proposals
from abci_app.chain.domain.suborgs import events, state as suborgs
from abci_app.chain.domain.suborgs.errors import InvalidSubOrganization, NotASubOrganization, NotTheParent, VetoClosed
from abci_app.chain.domain.suborgs.messages import CreateSubOrganization, DissolveSubOrganization, VetoProposal
from abci_app.chain.state.protocols import StateRead, StateWrite

if TYPE_CHECKING:
    from abci_app.chain.context import TxContext
    from abci_app.chain.context import BlockInfo


def check_stateless_create(msg: CreateSubOrganization, ctx: TxContext) -> None:
    org_handlers.check_stateless_create(CreateOrganization(msg.name, msg.purpose, msg.members, msg.policy), ctx)
    if not 0 <= msg.budget <= accounts.MAX_AMOUNT:
        raise InvalidSubOrganization(f"budget must be in [0, 2^63-1], got {msg.budget}")
    if not 1 <= msg.veto_window <= org_handlers.MAX_PERIOD:
        raise InvalidSubOrganization(f"veto window must be in [1, {org_handlers.MAX_PERIOD}] seconds")


def check_and_execute_create(state: StateWrite, block: BlockInfo, ctx: TxContext,
                             msg: CreateSubOrganization) -> list[object]:
    """Create the child as an ordinary organization, link it to the parent and move the budget."""
    parent = orgs.require_self(state, msg.org_id, ctx.signer)
    decision = parent.policy.voting_period + parent.policy.min_delay
    if msg.veto_window < decision:
        raise InvalidSubOrganization(f"veto window {msg.veto_window}s is shorter than the parent's decision time "
                                     f"({decision}s): a veto could never arrive in time")
    child_id = orgs.next_id(state)
    out = org_handlers.check_and_execute_create(state, block, ctx,
                                                CreateOrganization(msg.name, msg.purpose, msg.members, msg.policy))
    suborgs.put(state, suborgs.SubLink(child_id, parent.id, msg.veto_window, block.time))
    child = orgs.require(state, child_id)
    if msg.budget:
        accounts.move(state, parent.treasury, child.treasury, msg.budget, "parent treasury")
    return out + [events.SubOrganizationCreated(parent.id, child_id, child.treasury, msg.budget, msg.veto_window)]


def _require_parent(state: StateRead, child_id: int, signer: str) -> suborgs.SubLink:
    link = suborgs.get(state, child_id)
    if link is None:
        raise NotASubOrganization(f"organization {child_id} is not a sub-organization")
    parent = orgs.require_active(state, link.parent_id)
    if signer != parent.treasury:
        raise NotTheParent(f"only organization {parent.id}, by proposal, may do this to its sub-organization {child_id}")
    return link


def check_stateless_veto(msg: VetoProposal, ctx: TxContext) -> None:
    check_text(msg.reason, ctx.params.max_memo_bytes, "veto reason")


def check_and_execute_veto(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: VetoProposal) -> list[object]:
    """Stop a child's proposal that is voting, or passed and not yet due; it becomes VETOED and never runs."""
    proposal = proposals.require(state, msg.proposal_id)
    link = _require_parent(state, proposal.org_id, ctx.signer)
    if proposal.status == proposals.VOTING:
        state.delete(proposal_keys.timed(proposal_keys.VOTING_ENDS, proposal.voting_end, proposal.id))
    elif proposal.status == proposals.PASSED and block.time < proposal.execute_after:
        state.delete(proposal_keys.timed(proposal_keys.EXECUTIONS, proposal.execute_after, proposal.id))
    else:
        raise VetoClosed(f"proposal {proposal.id} is {proposal.status}"
                         + (f" and ran or runs at {proposal.execute_after}" if proposal.execute_after else ""))
    proposals.put(state, replace(proposal, status=proposals.VETOED, decided_at=block.time, result_log=msg.reason))
    return [events.ProposalVetoed(proposal.id, proposal.org_id, link.parent_id, msg.reason)]


def check_stateless_dissolve(msg: DissolveSubOrganization, ctx: TxContext) -> None:
    """Nothing to check without state."""


def check_and_execute_dissolve(state: StateWrite, block: BlockInfo, ctx: TxContext,
                               msg: DissolveSubOrganization) -> list[object]:
    """Dissolve the child now: its treasury goes to the parent, its cascade is queued (its returns go there too)."""
    _require_parent(state, msg.org_id, ctx.signer)
    child = orgs.require_active(state, msg.org_id)
    return dissolution.dissolve(state, block, child)


def policy_for(state: StateRead, org: orgs.Organization) -> OrgPolicy:
    """The policy a new proposal of ``org`` snapshots: a child's minimum delay is at least its veto window."""
    link = suborgs.get(state, org.id)
    if link is None or org.policy.min_delay >= link.veto_window:
        return org.policy
    return replace(org.policy, min_delay=link.veto_window)

