"""Organization actors for the economic-invariants simulation: found, fund, decide, hold projects, dissolve.

Organizations here decide fast (threshold 1, a minute of voting, no delay), so a
proposal submitted and voted on in one block runs in that block's END_BLOCK.
They create and fund projects, post requests and accept offers in their own
name, join other organizations (an organization may be a member of another) and
vote there through their own proposals.  The adversarial part is dissolution:
members walk out, one by one or all in one block, while the organization still
owns projects, holds open requests and agreements, or is a voting member of
another organization.  Each generator takes a ``market_sim.Ctx`` and returns a
list of ``(signer, action)``.
"""

from __future__ import annotations

from hypothesis import strategies as st

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.market import messages as mm
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.market.state import OfferStatus, RequestStatus
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import (THRESHOLD, CreateOrganization, LeaveOrganization, OrgMember,
                                                    OrgPolicy, SweepTreasury)
from abci_app.chain.domain.projects import messages as pm
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.validators.messages import SpendCommunityPool
from tests.support.econ_actors import ADDRESS, BY_ADDRESS, DISPUTERS, EVERYONE, HONEST
from tests.support.market import DAY

FOUNDERS = HONEST + DISPUTERS


def _active(c) -> list:
    return [o for o in orgs.all_organizations(c.view) if o.status == orgs.ACTIVE]


def _people_in(org) -> list:
    return [BY_ADDRESS[m.address] for m in org.members if m.address in BY_ADDRESS]


def create_org(c) -> list:
    """Found an organization of one to three people, sometimes with an existing organization as a member."""
    people = sorted({c.one(FOUNDERS) for _ in range(c.draw(st.integers(1, 3)))}, key=ADDRESS.get)
    members = [OrgMember(ADDRESS[k], c.draw(st.integers(1, 3))) for k in people]
    parents = _active(c)
    if parents and c.draw(st.booleans()):
        members.append(OrgMember(c.one(parents).treasury, 2))
    policy = OrgPolicy(THRESHOLD, 1, 60, 0, c.draw(st.booleans()))
    members.sort(key=lambda m: m.address)
    funding = Transfer(orgs.treasury_address(orgs.next_id(c.view)), c.one((0, 500, 2_000)))
    founder = people[0]
    burst = [(founder, CreateOrganization("collective", "", tuple(members), policy))]
    return burst + ([(founder, funding)] if funding.amount else [])


def org_act(c) -> list:
    """A member proposes one to two actions in the organization's name and votes yes at once."""
    active = [o for o in _active(c) if _people_in(o)]
    if not active:
        return []
    org = c.one(active)
    member = c.one(_people_in(org))
    actions = tuple(_org_action(c, org) for _ in range(c.draw(st.integers(1, 2))))
    proposal_id = proposals.next_id(c.view)
    return [(member, SubmitProposal(org.id, "do it", "", actions)), (member, Vote(proposal_id, YES))]


def _org_action(c, org):
    """One action an organization might take: pay out, run a project, use the market, vote elsewhere, leave."""
    owned = [p for p in projects.all_projects(c.view) if p.owner == org.treasury]
    requests = [r for r in market.all_requests(c.view) if r.requester == org.treasury and r.status is RequestStatus.OPEN]
    offers = [o for r in requests for o in market.all_offers(c.view)
              if o.request_id == r.id and o.status is OfferStatus.OPEN]
    kind = c.one(("pay", "project", "project", "fund", "withdraw", "request", "accept", "accept",
                  "vote", "leave", "hand over", "take over", "spend pool"))
    if kind == "spend pool":      # the network organization may; any other organization's proposal fails
        return SpendCommunityPool(ADDRESS[c.one(EVERYONE)], c.one((1, 10, 100)), "grant")
    if kind == "take over":
        offered = [o for o in (projects.get_offer(c.view, p.id) for p in projects.all_projects(c.view))
                   if o and o.target == org.treasury]
        if offered:
            return pm.AcceptProject(c.one(offered).project_id)
    if kind == "hand over" and owned:
        target = c.one([o.treasury for o in _active(c) if o.id != org.id] + [ADDRESS[HONEST[0]]])
        return pm.OfferProject(c.one(owned).id, target, c.now + c.one((DAY, 4 * DAY)))
    if kind == "project" or (kind in ("fund", "withdraw", "request", "hand over") and not owned):
        return pm.CreateProject("org project", "", c.one((0, 300, 1_500)))
    if kind == "fund":
        return pm.FundProject(c.one(owned).id, 200)
    if kind == "withdraw":
        return pm.WithdrawProjectBudget(c.one(owned).id, c.one((1, 100, 5_000)))
    if kind == "request":
        return mm.PostRequest("org needs", "", ("training",), 0, c.now + c.one((DAY, 3 * DAY)),
                              (), c.one(owned).id)
    if kind == "accept" and offers:
        return mm.AcceptOffer(c.one(offers).id)
    parents = [o for o in _active(c) if orgs.weight_of(o.members, org.treasury)]
    if kind == "vote" and parents:
        open_props = [p for p in proposals.all_proposals(c.view) if p.status == proposals.VOTING
                      and proposals.voter_weight(c.view, p.id, org.treasury)]
        if open_props:
            return Vote(c.one(open_props).id, YES)
    if kind == "leave" and parents:
        return LeaveOrganization(c.one(parents).id)
    return Transfer(ADDRESS[c.one(EVERYONE)], c.one((1, 250, 10_000)))


def vote(c) -> list:
    """A person in a proposal's snapshot votes on it (mostly yes)."""
    open_props = [p for p in proposals.all_proposals(c.view) if p.status == proposals.VOTING]
    pairs = [(p, BY_ADDRESS[v.address]) for p in open_props for v in proposals.voters(c.view, p.id) if v.address in BY_ADDRESS]
    if not pairs:
        return []
    proposal, voter = c.one(pairs)
    return [(voter, Vote(proposal.id, c.one((YES, YES, 2))))]


def walk_out(c) -> list:
    """Members leave an organization: all of them in one block (dissolving it; two times in three), or one."""
    active = [o for o in _active(c) if _people_in(o)]
    if not active:
        return []
    org = c.one(active)
    people = _people_in(org)
    leaving = people if c.draw(st.integers(0, 2)) else [c.one(people)]
    return [(k, LeaveOrganization(org.id)) for k in leaving]


def sweep(c) -> list:
    """Anyone sweeps an organization (refused while it is active or when there is nothing to sweep)."""
    all_orgs = list(orgs.all_organizations(c.view))
    if not all_orgs:
        return []
    return [(c.one(EVERYONE), SweepTreasury(c.one(all_orgs).id))]


def hand_to_org(c) -> list:
    """A person offers one of its projects to an active organization (which may dissolve before or after taking it)."""
    mine = [p for p in projects.all_projects(c.view) if p.owner in BY_ADDRESS]
    active = _active(c)
    if not mine or not active:
        return []
    project = c.one(mine)
    return [(BY_ADDRESS[project.owner], pm.OfferProject(project.id, c.one(active).treasury, c.now + 3 * DAY))]


def fund_treasury(c) -> list:
    """A person pays into an organization's treasury (active or dissolved)."""
    all_orgs = list(orgs.all_organizations(c.view))
    if not all_orgs:
        return []
    return [(c.one(FOUNDERS), Transfer(c.one(all_orgs).treasury, 400))]


ORG_ACTORS = (create_org, create_org, org_act, org_act, org_act, vote, walk_out, walk_out, sweep, fund_treasury,
              hand_to_org)
