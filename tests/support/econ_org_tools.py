"""Actors and invariants for the organization tools in the economic-invariants simulation.

Streaming actors: people pay each other (or an organization) by streams, an
organization pays by stream through a proposal, anyone claims any stream (early,
late, twice), payers stop streams and strangers try to.  Delegating actors
delegate, revoke and tag proposals; role holders act within (and beyond) their
budgets; parents found children with budgets, veto their proposals and dissolve
them (the children's members propose through the ordinary organization actors).  Each generator takes a
``market_sim.Ctx`` and returns a list of ``(signer, action)``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.delegation import state as delegations, tally
from abci_app.chain.domain.delegation.messages import DelegateVote, RevokeDelegation
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.roles import state as roles
from abci_app.chain.domain.roles.messages import ActAsRole, GrantRole, RevokeRole
from abci_app.chain.domain.organizations.messages import OrgMember
from abci_app.chain.domain.streams import state as streams
from abci_app.chain.domain.suborgs import state as suborgs
from abci_app.chain.domain.suborgs.messages import CreateSubOrganization, DissolveSubOrganization, VetoProposal
from tests.domain.organizations.support import threshold
from abci_app.chain.domain.streams.messages import ClaimStream, CreateStream, StopStream
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.messages import AcceptOffer
from abci_app.chain.domain.market.state import OfferStatus
from tests.support.econ_actors import ADDRESS, BY_ADDRESS, EVERYONE, HONEST
from tests.support.market import DAY


def _recipient(c) -> str:
    active = [o.treasury for o in orgs.all_organizations(c.view) if o.status == orgs.ACTIVE]
    return c.pick(active, ADDRESS[c.one(EVERYONE)]) if c.draw(st.booleans()) else ADDRESS[c.one(EVERYONE)]


def _new_stream(c) -> CreateStream:
    period = c.one((60, 3_600, DAY))
    end = c.now + c.one((0, 3 * period, 10 * DAY))
    total = c.one((0, 500, 2_000)) if end > c.now else c.one((500, 2_000))
    return CreateStream(_recipient(c), c.one((7, 100, 333)), period, c.now + c.one((0, 0, 600)), end, total)


def _org_and_member(c):
    """An active organization with a person among its members, and one such person (None if there is none)."""
    active = [o for o in orgs.all_organizations(c.view) if o.status == orgs.ACTIVE
              and any(m.address in BY_ADDRESS for m in o.members)]
    if not active:
        return None
    org = c.one(active)
    return org, BY_ADDRESS[c.one([m.address for m in org.members if m.address in BY_ADDRESS])]


def stream_pay(c) -> list:
    """A person starts paying someone (a person or an organization) by a stream."""
    payer = c.one(HONEST)
    return [(payer, _new_stream(c))]


def org_stream(c) -> list:
    """A member proposes that its organization starts (or stops) a stream, and votes yes at once."""
    picked = _org_and_member(c)
    if picked is None:
        return []
    org, member = picked
    own = [s for s in streams.all_streams(c.view) if s.payer == org.treasury and s.status == streams.ACTIVE]
    action = StopStream(c.one(own).id) if own and c.draw(st.booleans()) else _new_stream(c)
    proposal_id = proposals.next_id(c.view)
    return [(member, SubmitProposal(org.id, "pay by stream", "", (action,))), (member, Vote(proposal_id, YES))]


def claim_or_stop(c) -> list:
    """Anyone claims a stream (maybe too early, or again); a payer (or a stranger) stops one."""
    every = list(streams.all_streams(c.view))
    if not every:
        return []
    stream = c.one(every)
    stoppable = [s for s in every if s.status == streams.ACTIVE and s.payer in BY_ADDRESS]
    if c.draw(st.integers(0, 2)) == 0:
        if stoppable and c.draw(st.integers(0, 3)):
            stream = c.one(stoppable)
            return [(BY_ADDRESS[stream.payer], StopStream(stream.id))]
        return [(c.one(EVERYONE), StopStream(stream.id))]      # a stranger (or a payer) tries
    return [(c.one(EVERYONE), ClaimStream(stream.id)) for _ in range(c.draw(st.integers(1, 2)))]


def delegate(c) -> list:
    """A member delegates its vote to another member (sometimes for a tag, sometimes back in a cycle), or revokes."""
    active = [o for o in orgs.all_organizations(c.view) if o.status == orgs.ACTIVE
              and sum(m.address in BY_ADDRESS for m in o.members) >= 2]
    if not active:
        return []
    org = c.one(active)
    people = [BY_ADDRESS[m.address] for m in org.members if m.address in BY_ADDRESS]
    who, to = c.one(people), c.one(people)
    tag = c.one(("", "", "finance"))
    if c.draw(st.integers(0, 3)) == 0:
        return [(who, RevokeDelegation(org.id, tag))]
    return [(who, DelegateVote(org.id, ADDRESS[to], tag))]


def tagged_proposal(c) -> list:
    """A member submits a proposal tagged "finance" (so tag-specific delegations apply); others vote on it later."""
    picked = _org_and_member(c)
    if picked is None:
        return []
    org, member = picked
    return [(member, SubmitProposal(org.id, "budget", "", (_new_stream(c),), ("finance",)))]


def grant_role(c) -> list:
    """An organization grants (or revokes) a role with a small budget to one of its members, by proposal."""
    picked = _org_and_member(c)
    if picked is None:
        return []
    org, member = picked
    held = list(roles.of_org(c.view, org.id))
    if held and c.draw(st.integers(0, 3)) == 0:
        action = RevokeRole(org.id, c.one(held).name)
    else:
        action = GrantRole(org.id, c.one(("coordinator", "treasurer")), ADDRESS[member],
                           ("transfer", "accept_offer", "create_stream", "claim_stream"),
                           c.one((100, 500)), c.one((3_600, DAY)), c.now + c.one((DAY, 10 * DAY)))
    proposal_id = proposals.next_id(c.view)
    return [(member, SubmitProposal(org.id, "role", "", (action,))), (member, Vote(proposal_id, YES))]


def act_as_role(c) -> list:
    """A holder (or someone else) acts for the organization: pays, accepts an open offer, streams; often too much."""
    every = [(r, o) for o in orgs.all_organizations(c.view) for r in roles.of_org(c.view, o.id)]
    if not every:
        return []
    role, org = c.one(every)
    actor = BY_ADDRESS.get(role.holder) if c.draw(st.integers(0, 4)) else None
    offers = [o for r in market.all_requests(c.view) if r.requester == org.treasury
              for o in market.all_offers(c.view) if o.request_id == r.id and o.status is OfferStatus.OPEN]
    kind = c.one(("pay", "pay", "accept", "stream"))
    if kind == "accept" and offers:
        action = AcceptOffer(c.one(offers).id)
    elif kind == "stream":
        action = _new_stream(c)
    else:
        action = Transfer(ADDRESS[c.one(EVERYONE)], c.one((10, 90, 300, 600)))
    return [(actor or c.one(EVERYONE), ActAsRole(org.id, role.name, action))]


def sub_organization(c) -> list:
    """A parent, by proposal voted at once, founds a child with a budget, vetoes a child's open proposal or dissolves a child."""
    picked = _org_and_member(c)
    if picked is None:
        return []
    org, member = picked
    children = [o for o in (orgs.get(c.view, i) for i in suborgs.children(c.view, org.id))
                if o is not None and o.status == orgs.ACTIVE]
    pending = [p for child in children for p in proposals.of_org(c.view, child.id)
               if p.status in (proposals.VOTING, proposals.PASSED)]
    kind = c.one(("found", "found", "veto", "veto", "dissolve"))
    if kind == "veto" and pending:
        action = VetoProposal(c.one(pending).id, "not now")
    elif kind == "dissolve" and children:
        action = DissolveSubOrganization(c.one(children).id)
    else:
        second = c.one(HONEST)
        members = {ADDRESS[member]: 1, ADDRESS[second]: c.one((1, 2))}
        window = org.policy.voting_period + org.policy.min_delay + c.one((0, 60, 3_600))
        action = CreateSubOrganization(org.id, "child", "", tuple(OrgMember(a, w) for a, w in sorted(members.items())),
                                       threshold(1, min_delay=0), c.one((0, 100, 1_000)), window)
    proposal_id = proposals.next_id(c.view)
    return [(member, SubmitProposal(org.id, "child", "", (action,))), (member, Vote(proposal_id, YES))]


STREAM_ACTORS = (stream_pay, org_stream, claim_or_stop, claim_or_stop)
ROLE_ACTORS = (grant_role, act_as_role, act_as_role)
DELEGATING_ACTORS = (delegate, delegate, tagged_proposal)
SUBORG_ACTORS = (sub_organization,)


class RoleWatch:
    """Per role and period, the treasury and project-budget outflow of accepted ``ActAsRole`` stays within the limit.

    Reads the ``role_used`` events of each block; ``spent`` there is what the ledger measured, and the watch sums it
    per (organization, role, grant time, period) itself.  A role is judged as it stood *before* the block: roles
    are granted, replaced and revoked only by proposals executing at the block's end, after every transaction,
    so a role used in a block may already be gone (or re-granted) once the block is over.
    """

    def __init__(self, state=None) -> None:
        self.spent: dict[tuple, int] = {}
        self.held: dict[tuple[int, str], roles.Role] = {} if state is None else _all_roles(state)

    def observe(self, state, result, now: int) -> None:
        from abci_app.chain.domain.roles.events import RoleUsed

        for tx in result.txs:
            for event in tx.events:
                if isinstance(event, RoleUsed):
                    role = self.held.get((event.org_id, event.name))
                    assert role is not None, ("a role was used that was not held before its block", event)
                    key = (role.org_id, role.name, role.granted_at, roles.period_of(role, now))
                    self.spent[key] = self.spent.get(key, 0) + event.spent
                    assert self.spent[key] <= role.limit, (key, self.spent[key], role.limit)
        self.held = _all_roles(state)


def _all_roles(state) -> dict[tuple[int, str], roles.Role]:
    """Every role in ``state``, by (organization, name)."""
    return {(r.org_id, r.name): r for o in orgs.all_organizations(state) for r in roles.of_org(state, o.id)}


def delegated_tallies_recount(state) -> None:
    """Every proposal with a delegation snapshot carries exactly the recount of its votes along the snapshot."""
    for proposal_id in delegations.snapshot_ids(state):
        snap = delegations.get_snapshot(state, proposal_id)
        assert snap is not None
        votes = {v.voter: v.choice for v in proposals.votes(state, snap.proposal_id)}
        expected = tally.recount(snap.paths, votes)
        found = proposals.require(state, snap.proposal_id)
        assert (found.yes, found.no, found.abstain) == (expected[1], expected[2], expected[3]), snap


def roles_queue_exact(state) -> None:
    """Every role in state has exactly one expiry-queue entry, at its expiry, and the queue names no other role."""
    from abci_app.chain.domain.roles import keys as role_keys

    expected = sorted(role_keys.expiry(r.expires_at, r.org_id, r.name) for r in _all_roles(state).values())
    assert [bytes(k) for k, _ in state.iter_prefix(role_keys.EXPIRY_PREFIX)] == expected


def streams_add_up(state, now: int) -> None:
    """The reserve account holds exactly what streams still owe; nobody was paid beyond what accrued."""
    owed = 0
    for stream in streams.all_streams(state):
        assert 0 <= stream.claimed <= streams.accrued(stream, now) <= stream.total, stream
        owed += stream.total - stream.claimed
    assert accounts.balance(state, streams.RESERVES) == owed
