"""The organization tools on an organization's page, checked in the browser on the dashboard's devnet.

Imported by ``test_dashboard.py`` so that it runs on that module's devnet (no node of its own).
It founds its own organization (dave and erin), so the story's organization stays as the other
tests expect: erin lends her vote to dave for "finance", one passed proposal grants dave a
coordinator role, starts a stream to erin and founds a sub-organization with a budget, and
dave uses the role once.  The page must show all four, and its links open the app's forms
filled in.
"""

from __future__ import annotations

import time

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.delegation.messages import DelegateVote
from abci_app.chain.domain.organizations.messages import THRESHOLD, CreateOrganization, OrgMember, OrgPolicy
from abci_app.chain.domain.organizations.state import treasury_address
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.roles.messages import ActAsRole, GrantRole
from abci_app.chain.domain.streams.messages import CreateStream
from abci_app.chain.domain.suborgs.messages import CreateSubOrganization
from tests.dashboard.story import address

HOUR = 3_600


def _found(story) -> int:
    """Dave and erin's organization with a role, a stream and a child; returns its id (the child's is the next)."""
    members = tuple(sorted((OrgMember(address("dave"), 1), OrgMember(address("erin"), 1)), key=lambda m: m.address))
    org_id = story.send_id("dave", CreateOrganization("Buurt Tools", "", members, OrgPolicy(THRESHOLD, 1, HOUR, 0)),
                           "org_id")
    story.send("dave", Transfer(treasury_address(org_id), 3_000))
    story.send("erin", DelegateVote(org_id, address("dave"), "finance"))
    child = (OrgMember(address("erin"), 1),)
    actions = (GrantRole(org_id, "coordinator", address("dave"), ("transfer",), 500, 30 * 86_400,
                         int(time.time()) + 365 * 86_400),
               CreateStream(address("erin"), 10, 2, 0, 0, 1_000),
               CreateSubOrganization(org_id, "Buurt Noord", "", child, OrgPolicy(THRESHOLD, 1, 60, 0), 200, HOUR))
    proposal = story.send_id("dave", SubmitProposal(org_id, "Tools", "", actions), "proposal_id")
    story.send("dave", Vote(proposal, YES))
    story.send("dave", ActAsRole(org_id, "coordinator", Transfer(address("erin"), 50)))
    return org_id


def test_an_organization_page_shows_delegations_roles_streams_and_sub_organizations_with_app_links(stack, open_page):
    _node, server, story = stack
    org_id = _found(story)
    view = open_page(1280)
    page = view.go(f"organizations/{org_id}")
    for section in ("delegations", "roles", "streams", "suborgs"):
        assert page.get_attribute(f"[data-section={section}]", "data-state") == "ready", view.sections()
    delegations = page.inner_text("[data-testid=delegations]")
    assert "finance" in delegations and address("erin")[:8] in delegations
    assert "coordinator" in page.inner_text("[data-testid=roles]")
    assert page.inner_text("[data-remaining=coordinator]").replace(" ", "") == "450"
    assert "transfer" in page.inner_text("[data-testid=role-uses]")
    paid = page.inner_text("[data-testid=streams-paid]")
    assert address("erin")[:8] in paid and "active" in paid
    assert "1 active stream(s)" in page.inner_text("[data-section=streams] [data-testid=recurring-cost]")
    assert "Buurt Noord" in page.inner_text("[data-testid=suborgs]")
    view.shot("orgtools")
    view.follow("[data-act=act_as_role]")
    assert page.get_attribute("[data-testid=act-form]", "data-kind") == "act_as_role"
    assert page.input_value("[name=org_id]") == str(org_id) and page.input_value("[name=name]") == "coordinator"
    page = view.go(f"organizations/{org_id}")
    view.follow("[data-child] [data-act=submit_proposal]")                 # propose to dissolve the child
    assert page.input_value("[name='actions.0.kind']") == "dissolve_sub_organization"
    assert page.input_value("[name='actions.0.dissolve_sub_organization.org_id']") == str(org_id + 1)
    page = view.go(f"organizations/{org_id + 1}")
    assert "Buurt Tools" in page.inner_text("[data-testid=parent-org]")
    page = view.go(f"people/{address('erin')}")
    assert "Buurt Tools" in page.inner_text("[data-testid=streams-received]") or \
        short_treasury(org_id) in page.inner_text("[data-testid=streams-received]")
    page = view.go("friction")
    assert int(page.inner_text("[data-testid=recurring-cost] [data-stat=active] .value")) >= 1
    assert not view.errors, view.errors


def short_treasury(org_id: int) -> str:
    return treasury_address(org_id)[:8]
