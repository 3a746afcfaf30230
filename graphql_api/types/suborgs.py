"""Sub-organizations under a parent: each child with its veto window, as an ``Organization``.

A child's projects and agreements are those of its treasury: ask ``projects(owner:)`` and
``agreements(where: {requester:})`` with ``organization.treasury``.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.suborgs import state as suborgs
from graphql_api.types.common import BlockHeight, int_id, state_height
from graphql_api.types.organizations import Organization


@strawberry.type(name="SubOrganization")
class SubOrganization:
    parent: str
    veto_window: int = strawberry.field(description="seconds a passed proposal of the child waits for a veto")
    created_at: int
    organization: Organization = strawberry.field(description="subOrganizations: the child; parentOrganization: "
                                                              "the parent")


@strawberry.type
class SubOrganizationQueries:
    @strawberry.field(description="The sub-organizations a parent created, by id")
    def sub_organizations(self, info: Info, parent: str, block: BlockHeight | None = None) -> list[SubOrganization]:
        info.context.check_deadline()
        with info.context.read() as reader:
            height = state_height(reader, block)
            state = reader.state_at(height)
            out = []
            for child in suborgs.children(state, int_id(parent, "an organization") or 0):
                link, org = suborgs.get(state, child), orgs.get(state, child)
                if link is not None and org is not None:
                    out.append(SubOrganization(parent=str(link.parent_id), veto_window=link.veto_window,
                                               created_at=link.created_at,
                                               organization=Organization(record=org, height=height)))
            return out

    @strawberry.field(description="A child's link to its parent (null: not a sub-organization)")
    def parent_organization(self, info: Info, child: str, block: BlockHeight | None = None) -> SubOrganization | None:
        info.context.check_deadline()
        with info.context.read() as reader:
            height = state_height(reader, block)
            state = reader.state_at(height)
            link = suborgs.get(state, int_id(child, "an organization") or 0)
            parent = None if link is None else orgs.get(state, link.parent_id)
            if link is None or parent is None:
                return None
            return SubOrganization(parent=str(link.parent_id), veto_window=link.veto_window,
                                   created_at=link.created_at, organization=Organization(record=parent, height=height))
