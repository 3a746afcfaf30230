"""Time-driven proposal transitions and automatic execution (the END_BLOCK hook; ``components`` binds the router).

``end_block`` first closes the proposals whose voting period has ended, then runs
the passed proposals whose minimum delay has passed, each read from its time
index (O(due proposals), never a scan).  It never raises ``LedgerError``: a
failing action makes the proposal FAILED with the action's code and log, and
because the actions run in one fork of the block state, either all of them take
effect or none does.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

from abci_app.chain.context import BlockInfo, Router, TxContext
from abci_app.chain.domain import due
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.params import Params
from abci_app.chain.domain.proposals import events, keys, state as proposals, tally
from abci_app.chain.domain.proposals.state import Proposal
from abci_app.chain.errors import LedgerError, OrganizationDissolved
from abci_app.chain.state.protocols import ForkableState, StateRead, StateWrite


def decide(state: StateWrite, block: BlockInfo, proposal: Proposal, status: str) -> list[object]:
    """Move a VOTING proposal to PASSED (scheduling its execution) or REJECTED."""
    state.delete(keys.timed(keys.VOTING_ENDS, proposal.voting_end, proposal.id))
    execute_after = 0
    if status == proposals.PASSED:
        execute_after = block.time + proposal.policy.min_delay
        state.put(keys.timed(keys.EXECUTIONS, execute_after, proposal.id), b"")
    decided = replace(proposal, status=status, decided_at=block.time, execute_after=execute_after)
    proposals.put(state, decided)
    return [events.ProposalDecided(decided.id, status, decided.yes, decided.no, decided.abstain, execute_after)]


def close_voting(state: StateWrite, block: BlockInfo, proposal: Proposal) -> list[object]:
    """Decide a proposal whose voting period is over, from the votes cast."""
    p = proposal
    status = tally.outcome(p.policy, p.total_weight, p.yes, p.no, p.abstain, final=True)
    assert status is not None   # a final tally always decides (PASSED or REJECTED)
    return decide(state, block, proposal, status)


def action_context(org_treasury: str, proposal_id: int, index: int, params: Params) -> TxContext:
    """Return the context an action of a proposal runs with: the treasury signs, no fee, no sequence.

    Each action gets its own hash, so actions that derive ids from ``ctx.hash`` never collide.
    """
    digest = hashlib.sha256(b"samen/proposal/%d/action/%d" % (proposal_id, index)).digest()
    return TxContext(org_treasury, 0, 0, "", digest, params)


def run_actions(state: StateRead, block: BlockInfo, proposal: Proposal, treasury: str, router: Router) -> list[object]:
    """Run every action's two handler phases (from ``router``) in ``state``; raise the first ``LedgerError``."""
    out: list[object] = []
    for index, action in enumerate(proposal.actions):
        ctx = action_context(treasury, proposal.id, index, block.params)
        check_stateless, check_and_execute = router[type(action)]
        try:
            check_stateless(action, ctx)
            out.extend(check_and_execute(state, block, ctx, action))
        except LedgerError as error:
            error.message = f"action {index} ({type(action).__name__}): {error.message}"
            raise
    return out


def execute(state: ForkableState, block: BlockInfo, proposal: Proposal, router: Router) -> list[object]:
    """Run a due PASSED proposal atomically and record EXECUTED or FAILED on it."""
    state.delete(keys.timed(keys.EXECUTIONS, proposal.execute_after, proposal.id))
    org = orgs.get(state, proposal.org_id)
    fork = state.fork()
    try:
        if org is None or org.status != orgs.ACTIVE:
            raise OrganizationDissolved(f"organization {proposal.org_id} dissolved before execution")
        out = run_actions(fork, block, proposal, org.treasury, router)
    except LedgerError as error:
        done = replace(proposal, status=proposals.FAILED, executed_at=block.time, result_code=error.code,
                       result_codespace=error.codespace, result_log=error.message)
        out = []
    else:
        fork.apply()
        done = replace(proposal, status=proposals.EXECUTED, executed_at=block.time)
    proposals.put(state, done)
    return out + [events.ProposalExecuted(done.id, done.org_id, done.status, done.result_code,
                                          done.result_codespace, done.result_log)]


def end_block(state: ForkableState, block: BlockInfo, *, router: Router) -> list[object]:
    """Close ended votes, then execute due proposals (a proposal passing now with no delay runs now).

    Each queue handles at most ``max_due_per_block`` proposals per block, earliest
    first (``abci_app.chain.domain.due``); a proposal carries at most ``MAX_ACTIONS``
    actions, so a block runs at most that many times the cap actions.
    """
    out: list[object] = []
    ended, report = due.take(state, due.PROPOSAL_VOTES, keys.VOTING_ENDS, block)
    for proposal_id in ended:
        out.extend(close_voting(state, block, proposals.require(state, proposal_id)))
    out += report
    runnable, report = due.take(state, due.PROPOSAL_EXECUTIONS, keys.EXECUTIONS, block)
    for proposal_id in runnable:
        out.extend(execute(state, block, proposals.require(state, proposal_id), router))
    return out + report

