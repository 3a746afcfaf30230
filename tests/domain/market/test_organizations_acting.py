"""Organizations act in the market through proposals: the treasury address is simply the signer.

The neighbourhood first-aid story, in-process: an organization of three posts a
request by proposal, two trainers offer, the organization accepts one by
proposal (escrow from its treasury), the trainer delivers a certificate, the
organization accepts and rates by proposal; then a project moves to a second
organization, whose proposal accepts it, and continues there.
"""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone, RateAgreement
from abci_app.chain.domain.documents.messages import PublishDocument
from abci_app.chain.domain.friction import state as friction
from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.market.messages import AcceptOffer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import THRESHOLD, CreateOrganization, OrgMember, OrgPolicy
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.projects.messages import AcceptProject, CreateProject, OfferProject
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import SubmitProposal, Vote
from abci_app.chain.domain.reputation import state as reputation
from tests.support.chain import key
from tests.support.market import DAY, doc_hash, offer_msg, request_msg

YES = 1


def found(market, members, name) -> tuple[int, str]:
    """Create an organization of ``members`` deciding by two yes votes; fund its treasury; return (id, treasury)."""
    policy = OrgPolicy(THRESHOLD, 2, 3 * DAY, 0, False)
    market.ok(members[0], CreateOrganization(name, "first aid", tuple(OrgMember(m.address, 1) for m in members),
                                             policy))
    org_id = max(o.id for o in orgs.all_organizations(market.state))
    treasury = orgs.treasury_address(org_id)
    market.ok(members[0], Transfer(treasury, 5_000))
    return org_id, treasury


def decide(market, members, org_id, *actions) -> None:
    """Pass and execute a proposal of ``actions``; assert it executed."""
    market.ok(members[0], SubmitProposal(org_id, "decision", "", tuple(actions)))
    proposal_id = max(p.id for p in proposals.of_org(market.state, org_id))
    market.ok(members[0], Vote(proposal_id, YES))
    market.ok(members[1], Vote(proposal_id, YES))
    market.tick()
    done = proposals.get(market.state, proposal_id)
    assert done.status == "executed", (done.status, done.result_codespace, done.result_code)


def test_the_first_aid_group_hires_pays_and_rates_a_trainer_by_proposals(market, requester, provider, rival,
                                                                          outsider):
    members = [requester, rival, key(26)]
    org_id, treasury = found(market, members, "Neighbourhood first aid")
    decide(market, members, org_id, request_msg(market.now, title="Train 10 volunteers in first aid"))
    request = next(mkt.all_requests(market.state))
    assert request.requester == treasury
    market.ok(provider, offer_msg(request.id, market.now, price=800))
    market.ok(outsider, offer_msg(request.id, market.now, price=950))
    decide(market, members, org_id, AcceptOffer(1))
    agreement = agreements.get(market.state, 1)
    assert agreement.requester == treasury and accounts.balance(market.state, treasury) == 4_200
    market.ok(provider, PublishDocument(doc_hash("certificate"), "Certificates", "application/pdf"))
    market.ok(provider, DeliverMilestone(1, 0, doc_hash("certificate")))
    decide(market, members, org_id, AcceptMilestone(1, 0), RateAgreement(1, 5))
    assert agreements.get(market.state, 1).outcome == "completed"
    assert accounts.balance(market.state, provider.address) == 100_800
    trainer = reputation.get(market.state, provider.address)
    assert trainer.counts.completed_as_provider == 1 and trainer.counts.rating_sum == 5
    assert reputation.get(market.state, treasury).counts.completed_as_requester == 1
    figures = friction.get_figures(market.state, 1)
    assert figures.requester == treasury and figures.outcome == "completed"
    assert friction.series(market.state, "org/" + treasury, "week")[0][1].agreements == 1


def test_a_project_moves_between_organizations_by_their_proposals_and_continues(market, requester, provider, rival,
                                                                               outsider):
    first_members, second_members = [requester, rival, key(26)], [outsider, provider, key(28)]
    first, first_treasury = found(market, first_members, "First group")
    second, second_treasury = found(market, second_members, "Second group")
    decide(market, first_members, first, CreateProject("First-aid course", "", 3_000))
    project_id = 1
    assert projects.get(market.state, project_id).owner == first_treasury
    decide(market, first_members, first, request_msg(market.now, project_id=project_id,
                                                     offers_until=market.now + 9 * DAY))
    decide(market, first_members, first, OfferProject(project_id, second_treasury, market.now + 5 * DAY))
    decide(market, second_members, second, AcceptProject(project_id))
    assert projects.get(market.state, project_id).owner == second_treasury
    request = next(mkt.all_requests(market.state))
    assert request.requester == second_treasury
    market.ok(rival, offer_msg(request.id, market.now, price=700))
    decide(market, second_members, second, AcceptOffer(1))
    assert projects.get(market.state, project_id).budget == 2_300
    assert agreements.get(market.state, 1).requester == second_treasury
