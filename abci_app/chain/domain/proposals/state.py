"""Typed state access for proposals, their votes and their time indexes.

A proposal carries snapshots taken at submission: the voters with their weights,
their total, and the organization's policy.  Later membership or policy changes
do not touch it.  Each voter's weight is stored under its own key
(``keys.voter``), and each vote under its voter (which is what makes a second vote
detectable); the proposal record keeps only the running tally
(``yes``/``no``/``abstain`` weights), so a vote reads and writes a bounded amount
whatever the number of members.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from abci_app.chain import codec
from abci_app.chain.context import Action
from abci_app.chain.domain.organizations.messages import OrgMember, OrgPolicy
from abci_app.chain.domain.proposals import keys
from abci_app.chain.errors import ProposalNotFound
from abci_app.chain.state.protocols import StateRead, StateWrite

VOTING = "voting"
PASSED = "passed"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
EXECUTED = "executed"
FAILED = "failed"
VETOED = "vetoed"      # a sub-organization's proposal stopped by its parent (suborgs)
FINAL = (REJECTED, WITHDRAWN, EXECUTED, FAILED, VETOED)
# The only transitions a proposal may make (checked by the simulation).
TRANSITIONS = {VOTING: (PASSED, REJECTED, WITHDRAWN, VETOED), PASSED: (EXECUTED, FAILED, VETOED)}


@dataclass(frozen=True, slots=True)
class Proposal:
    id: int
    org_id: int
    proposer: str
    title: str
    description: str
    actions: tuple[Action, ...]
    policy: OrgPolicy                 # the organization's policy when submitted
    total_weight: int                 # the voters' total weight when submitted (each under ``keys.voter``)
    submitted_at: int
    voting_end: int                   # votes are accepted while block time < voting_end
    status: str
    yes: int = 0
    no: int = 0
    abstain: int = 0
    decided_at: int = 0
    execute_after: int = 0            # first block time at which a PASSED proposal runs
    executed_at: int = 0
    result_code: int = 0              # FAILED: the (codespace, code) and log of the failing action
    result_codespace: str = ""
    result_log: str = ""


@dataclass(frozen=True, slots=True)
class VoteRecord:
    proposal_id: int
    voter: str
    choice: int
    weight: int
    reason: str
    time: int


def get(state: StateRead, proposal_id: int) -> Proposal | None:
    raw = state.get(keys.proposal(proposal_id))
    return None if raw is None else codec.decode_value(Proposal, raw)


def require(state: StateRead, proposal_id: int) -> Proposal:
    found = get(state, proposal_id)
    if found is None:
        raise ProposalNotFound(f"proposal {proposal_id} not found")
    return found


def put(state: StateWrite, proposal: Proposal) -> None:
    state.put(keys.proposal(proposal.id), codec.encode_value(proposal))


def next_id(state: StateRead) -> int:
    raw = state.get(keys.NEXT_ID)
    return 1 if raw is None else int(raw)


def create(state: StateWrite, proposal: Proposal, voters: tuple[OrgMember, ...]) -> None:
    """Store a new VOTING proposal, its voters' weights, its org index and voting-end index."""
    put(state, proposal)
    for member in voters:
        state.put(keys.voter(proposal.id, member.address), b"%d" % member.weight)
    state.put(keys.NEXT_ID, b"%d" % (proposal.id + 1))
    state.put(keys.by_org(proposal.org_id) + keys.pad(proposal.id), b"")
    state.put(keys.timed(keys.VOTING_ENDS, proposal.voting_end, proposal.id), b"")


def voter_weight(state: StateRead, proposal_id: int, address: str) -> int:
    """Return ``address``'s weight in the proposal's snapshot (0: not a voter)."""
    raw = state.get(keys.voter(proposal_id, address))
    return 0 if raw is None else int(raw)


def voters(state: StateRead, proposal_id: int) -> tuple[OrgMember, ...]:
    """The proposal's voters with their snapshotted weights, in address order."""
    prefix = keys.voters(proposal_id)
    return tuple(OrgMember(key[len(prefix):].decode(), int(raw)) for key, raw in state.iter_prefix(prefix))


def get_vote(state: StateRead, proposal_id: int, voter: str) -> VoteRecord | None:
    raw = state.get(keys.vote(proposal_id, voter))
    return None if raw is None else codec.decode_value(VoteRecord, raw)


def put_vote(state: StateWrite, vote: VoteRecord) -> None:
    state.put(keys.vote(vote.proposal_id, vote.voter), codec.encode_value(vote))


def votes(state: StateRead, proposal_id: int) -> Iterator[VoteRecord]:
    for _, raw in state.iter_prefix(keys.votes(proposal_id)):
        yield codec.decode_value(VoteRecord, raw)


def index_entries(state: StateRead, prefix: bytes) -> Iterator[tuple[int, int]]:
    """Yield ``(time, proposal_id)`` of every entry of a time index (for invariants and queries)."""
    for key, _ in state.iter_prefix(prefix):
        yield keys.parse_timed(prefix, key)


def of_org(state: StateRead, org_id: int) -> Iterator[Proposal]:
    prefix = keys.by_org(org_id)
    for key, _ in state.iter_prefix(prefix):
        yield require(state, int(key[len(prefix):]))


def all_proposals(state: StateRead) -> Iterator[Proposal]:
    for _, raw in state.iter_prefix(keys.PROPOSAL_PREFIX):
        yield codec.decode_value(Proposal, raw)
