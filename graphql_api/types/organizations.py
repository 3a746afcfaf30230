"""Organizations (members, weights, policy, treasury) through ``abci_app.chain.domain.organizations``.

Listed in id order, the order of the state's own keys (``org/o/<padded id>``), so a
page seeks straight to ``after``/``id_gt``; ``status`` and ``member`` filter the page.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain import codec
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.organizations import keys, state as orgs
from graphql_api.errors import ApiError
from graphql_api.pagination import OrderDirection, check_first, encode_cursor, decode_cursor, take
from graphql_api.types.common import BigInt, BlockHeight, state_height

ORG_CURSOR = "organization"


@strawberry.type(name="Member")
class Member:
    address: str
    weight: BigInt


@strawberry.type(name="Policy")
class Policy:
    kind: int
    threshold: int
    voting_period: int = strawberry.field(description="seconds")
    min_delay: int = strawberry.field(description="seconds from passing to execution")
    exit_right: bool


@strawberry.type(name="Organization")
class Organization:
    record: strawberry.Private[orgs.Organization]
    height: strawberry.Private[int]

    @strawberry.field
    def id(self) -> str:
        return str(self.record.id)

    @strawberry.field
    def name(self) -> str:
        return self.record.name

    @strawberry.field
    def purpose(self) -> str:
        return self.record.purpose

    @strawberry.field
    def status(self) -> str:
        return self.record.status

    @strawberry.field
    def created_at(self) -> int:
        return self.record.created_at

    @strawberry.field
    def dissolved_at(self) -> int:
        return self.record.dissolved_at

    @strawberry.field
    def members(self) -> list[Member]:
        return [Member(address=m.address, weight=m.weight) for m in self.record.members]

    @strawberry.field
    def total_weight(self) -> BigInt:
        return orgs.total_weight(self.record.members)

    @strawberry.field
    def policy(self) -> Policy:
        p = self.record.policy
        return Policy(kind=p.kind, threshold=p.threshold, voting_period=p.voting_period, min_delay=p.min_delay,
                      exit_right=p.exit_right)

    @strawberry.field(description="the treasury's account address")
    def treasury(self) -> str:
        return self.record.treasury

    @strawberry.field
    def treasury_balance(self, info: Info) -> BigInt:
        with info.context.read() as reader:
            return accounts.balance(reader.state_at(self.height), self.record.treasury)

    @strawberry.field
    def cursor(self) -> str:
        return encode_cursor(ORG_CURSOR, str(self.record.id).encode())


@strawberry.input(name="Organization_filter")
class OrganizationFilter:
    id_gt: str | None = None
    id_lt: str | None = None
    status: str | None = None
    status_in: list[str] | None = None
    member: str | None = None

    def matches(self, org: Organization) -> bool:
        r = org.record
        return ((self.id_lt is None or r.id < _int_id(self.id_lt))
                and (self.status is None or r.status == self.status)
                and (self.status_in is None or r.status in self.status_in)
                and (self.member is None or orgs.weight_of(r.members, self.member) > 0))


def _int_id(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ApiError(f"not an organization id: {text!r}") from None


def _listed(state, where: OrganizationFilter, after: int | None, reverse: bool, height: int):
    if reverse:
        upper = min(filter(lambda v: v is not None, [after, where.id_lt and _int_id(where.id_lt)]), default=None)
        start = None if upper is None else keys.organization(upper)
    else:
        lower = max(filter(lambda v: v is not None, [after, where.id_gt and _int_id(where.id_gt)]), default=None)
        start = None if lower is None else keys.organization(lower + 1)
    for _key, raw in state.iter_prefix(keys.ORG_PREFIX, start, reverse):
        yield Organization(record=codec.decode_value(orgs.Organization, raw), height=height)


@strawberry.type
class OrganizationQueries:
    @strawberry.field(description="One organization by id")
    def organization(self, info: Info, id: str, block: BlockHeight | None = None) -> Organization | None:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            height = state_height(reader, block)
            found = orgs.get(reader.state_at(height), _int_id(id))
            return None if found is None else Organization(record=found, height=height)

    @strawberry.field(description="Organizations in id order; keyset pagination with after")
    def organizations(self, info: Info, first: int | None = None, after: str | None = None,
                      order_direction: OrderDirection = OrderDirection.asc,
                      where: OrganizationFilter | None = None,
                      block: BlockHeight | None = None) -> list[Organization]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        where = where or OrganizationFilter()
        after_id = None if after is None else _int_id(decode_cursor(ORG_CURSOR, after).decode())
        with ctx.read() as reader:
            height = state_height(reader, block)
            rows = _listed(reader.state_at(height), where, after_id, order_direction == OrderDirection.desc, height)
            return take(rows, size, where.matches, lambda: ctx.charge(reader))
