"""Roles with budgets: an organization's roles and the current period's remaining budget (at the answer's block time)."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain.domain.roles import state as roles
from graphql_api.types.common import BigInt, BlockHeight, int_id, state_height
from graphql_api.types.works import block_time


@strawberry.type(name="Role")
class Role:
    organization: str
    name: str
    holder: str
    kinds: list[str]
    limit: BigInt = strawberry.field(description="spending limit per period")
    period: int = strawberry.field(description="seconds, counted from grantedAt")
    expires_at: int
    granted_at: int
    uses: int
    remaining: BigInt = strawberry.field(description="left in the current period at the answer's block time")
    expired: bool


@strawberry.type
class RoleQueries:
    @strawberry.field(description="An organization's roles (an expired one stays listed until the roles' expiry queue "
                                  "removes it, at the latest a few blocks after its expiry)")
    def roles(self, info: Info, organization: str, holder: str | None = None,
              block: BlockHeight | None = None) -> list[Role]:
        info.context.check_deadline()
        org_id = int_id(organization, "an organization") or 0
        with info.context.read() as reader:
            height = state_height(reader, block)
            now = block_time(reader, height)
            found = [r for r in roles.of_org(reader.state_at(height), org_id) if holder in (None, r.holder)]
        return [Role(organization=str(r.org_id), name=r.name, holder=r.holder, kinds=list(r.kinds), limit=r.limit,
                     period=r.period, expires_at=r.expires_at, granted_at=r.granted_at, uses=r.uses,
                     remaining=roles.remaining(r, now), expired=now >= r.expires_at) for r in found]
