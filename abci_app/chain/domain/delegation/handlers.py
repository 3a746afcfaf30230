"""Handlers of the delegation module, and the two hooks the proposals module calls.

Rules (``docs/lifecycles.md``, "Delegated votes"):
* only a current member may delegate, only to another current member, at most
  ``MAX_PER_MEMBER`` delegations (the general one and tag-specific ones) per
  member and organization; a new delegation for the same tag replaces the old;
* a delegation whose chain (same tag, else general) leads back to the signer is
  refused (``delegation/3``); revoking is always possible, also after leaving;
* at submission the graph is snapshotted (``snapshot.py``); at each vote the
  tally moves incrementally (``tally.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from abci_app.chain import addresses
from abci_app.chain.domain.delegation import events, snapshot, state as delegations, tally
from abci_app.chain.domain.delegation.errors import DelegationCycle, InvalidDelegation, NoDelegation
from abci_app.chain.domain.delegation.messages import DelegateVote, RevokeDelegation
from abci_app.chain.domain.market.checks import check_tags
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.state.protocols import StateRead, StateWrite

if TYPE_CHECKING:
    from abci_app.chain.context import TxContext
    from abci_app.chain.context import BlockInfo
    from abci_app.chain.domain.organizations.messages import OrgMember
    from abci_app.chain.domain.proposals.state import Proposal

MAX_PER_MEMBER = 9


def _check_tag(tag: str) -> None:
    if tag:
        check_tags((tag,))


def check_stateless_delegate(msg: DelegateVote, ctx: TxContext) -> None:
    addresses.validate(msg.delegate, "delegate address")
    if msg.delegate == ctx.signer:
        raise InvalidDelegation("a member cannot delegate to itself")
    _check_tag(msg.tag)


def check_and_execute_delegate(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: DelegateVote) -> list[object]:
    """Record (or replace) the signer's delegation for ``msg.tag``."""
    org = orgs.require_active(state, msg.org_id)
    for who, what in ((ctx.signer, "delegator"), (msg.delegate, "delegate")):
        if orgs.weight_of(org.members, who) == 0:
            raise InvalidDelegation(f"{what} {who} is not a member of organization {org.id}")
    mine = delegations.of_delegator(state, org.id, ctx.signer)
    if len(mine) >= MAX_PER_MEMBER and all(d.tag != msg.tag for d in mine):
        raise InvalidDelegation(f"at most {MAX_PER_MEMBER} delegations per member and organization")
    _refuse_cycle(state, org.id, ctx.signer, msg.delegate, msg.tag)
    delegations.put(state, delegations.Delegation(org.id, ctx.signer, msg.delegate, msg.tag, block.time))
    return [events.VoteDelegated(org.id, ctx.signer, msg.delegate, msg.tag)]


def _refuse_cycle(state: StateRead, org_id: int, signer: str, delegate: str, tag: str) -> None:
    """Follow ``delegate``'s chain for ``tag`` (else general) at most ``orgs.MAX_MEMBERS`` hops."""
    current = delegate
    for _ in range(orgs.MAX_MEMBERS):
        hop = delegations.get(state, org_id, current, tag) or delegations.get(state, org_id, current, "")
        if hop is None:
            return
        if hop.delegate == signer:
            raise DelegationCycle(f"{delegate}'s delegations lead back to {signer}: no cycles")
        current = hop.delegate


def check_stateless_revoke(msg: RevokeDelegation, ctx: TxContext) -> None:
    _check_tag(msg.tag)


def check_and_execute_revoke(state: StateWrite, block: BlockInfo, ctx: TxContext,
                             msg: RevokeDelegation) -> list[object]:
    found = delegations.get(state, msg.org_id, ctx.signer, msg.tag)
    if found is None:
        raise NoDelegation(f"{ctx.signer} has no delegation in organization {msg.org_id} for tag {msg.tag!r}")
    delegations.delete(state, found)
    return [events.DelegationRevoked(msg.org_id, ctx.signer, msg.tag)]


# -- hooks of the proposals module -------------------------------------------------------------


def snapshot_at_submission(state: StateWrite, proposal: Proposal, voters: tuple[OrgMember, ...],
                           tags: tuple[str, ...]) -> None:
    """Store the proposal's delegation snapshot when it has tags or any voter delegated.

    Reads each voter's delegations (at most ``MAX_PER_MEMBER`` each), so the cost is
    bounded by the snapshot's size.
    """
    found = [d for v in voters for d in delegations.of_delegator(state, proposal.org_id, v.address)]
    if not found and not tags:
        return
    hops = snapshot.next_hops(found, tags)
    paths = snapshot.paths(((v.address, v.weight) for v in voters), hops)
    delegations.put_snapshot(state, delegations.DelegationSnapshot(proposal.id, tuple(sorted(tags)), paths))


def count_vote(state: StateWrite, proposal: Proposal, voter: str, choice: int,
               weight: int) -> tuple[dict[int, int], tuple[int, int, int] | None, list[object]]:
    """Return the tally's change for a vote, the direct tallies when delegation applies, and events.

    Must run before the vote is stored.  Without a snapshot the vote moves only the
    voter's own weight and the direct tallies are the proposal's own (``None``).
    Reads only the paths through the voter (``delegations.paths_through``) and the
    votes of the members on them: the cost is what the vote moves.
    """
    from abci_app.chain.domain.proposals import state as proposals   # late: proposals imports this module

    if delegations.get_head(state, proposal.id) is None:
        return {c: weight if c == choice else 0 for c in tally.CHOICES}, None, []

    seen: dict[str, int] = {}

    def voted(address: str) -> int:
        if address not in seen:
            record = proposals.get_vote(state, proposal.id, address)
            seen[address] = 0 if record is None else record.choice
        return seen[address]

    delta, carried = tally.moves(delegations.paths_through(state, proposal.id, voter, weight), voter, choice, voted)
    old = delegations.get_direct(state, proposal.id)
    direct = delegations.DirectTally(old.yes + (weight if choice == 1 else 0), old.no + (weight if choice == 2 else 0),
                                     old.abstain + (weight if choice == 3 else 0))
    delegations.put_direct(state, proposal.id, direct)
    out: list[object] = [events.DelegatedWeightCounted(proposal.id, voter, choice, carried)] if carried else []
    return delta, (direct.yes, direct.no, direct.abstain), out
