"""Proposals (actions, votes, tally, status, execution result) through ``abci_app.chain.domain.proposals``.

``proposals(where: {organization})`` walks the organization's own proposal index;
otherwise proposals are listed in id order.  ``proposalUpdated`` streams a
proposal each time a block emits one of its events (submitted, vote, decided,
withdrawn, executed), read at that block.
"""

from __future__ import annotations

import json

import strawberry
from strawberry.types import Info

from abci_app.chain import codec, messages
from abci_app.chain.domain.proposals import keys, state as props
from graphql_api import readers
from graphql_api.errors import ApiError
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, take
from graphql_api.types.common import BigInt, BlockHeight, state_height
from graphql_api.types.events import ids_touched

PROPOSAL_CURSOR = "proposal"
EVENT_TYPES = ["proposal_submitted", "proposal_vote", "proposal_decided", "proposal_withdrawn", "proposal_executed"]


@strawberry.type(name="VoteRecord")
class VoteRecord:
    voter: str
    choice: int
    weight: BigInt
    reason: str
    time: int


@strawberry.type(name="ProposalVoter")
class ProposalVoter:
    address: str
    weight: BigInt


@strawberry.type(name="Proposal")
class Proposal:
    record: strawberry.Private[props.Proposal]
    height: strawberry.Private[int]

    @strawberry.field
    def id(self) -> str:
        return str(self.record.id)

    @strawberry.field
    def organization(self) -> str:
        return str(self.record.org_id)

    @strawberry.field
    def proposer(self) -> str:
        return self.record.proposer

    @strawberry.field
    def title(self) -> str:
        return self.record.title

    @strawberry.field
    def description(self) -> str:
        return self.record.description

    @strawberry.field
    def status(self) -> str:
        return self.record.status

    @strawberry.field(description="each action as canonical JSON {kind, msg}, as the state stores it")
    def actions(self) -> list[str]:
        return [json.dumps({"kind": messages.kind_of(type(a)), "msg": json.loads(codec.encode_value(a))},
                           sort_keys=True, separators=(",", ":")) for a in self.record.actions]

    @strawberry.field
    def yes(self) -> BigInt:
        return self.record.yes

    @strawberry.field
    def no(self) -> BigInt:
        return self.record.no

    @strawberry.field
    def abstain(self) -> BigInt:
        return self.record.abstain

    @strawberry.field
    def total_weight(self) -> BigInt:
        return self.record.total_weight

    @strawberry.field
    def submitted_at(self) -> int:
        return self.record.submitted_at

    @strawberry.field
    def voting_end(self) -> int:
        return self.record.voting_end

    @strawberry.field
    def decided_at(self) -> int:
        return self.record.decided_at

    @strawberry.field
    def executed_at(self) -> int:
        return self.record.executed_at

    @strawberry.field
    def result_code(self) -> int:
        return self.record.result_code

    @strawberry.field
    def result_log(self) -> str:
        return self.record.result_log

    @strawberry.field
    def votes(self, info: Info) -> list[VoteRecord]:
        with info.context.read() as reader:
            found = props.votes(reader.state_at(self.height), self.record.id)
            return [VoteRecord(voter=v.voter, choice=v.choice, weight=v.weight, reason=v.reason, time=v.time)
                    for v in found]

    @strawberry.field(description="the members and weights snapshotted at submission, by address")
    def voters(self, info: Info) -> list[ProposalVoter]:
        with info.context.read() as reader:
            found = props.voters(reader.state_at(self.height), self.record.id)
            return [ProposalVoter(address=v.address, weight=v.weight) for v in found]

    @strawberry.field
    def cursor(self) -> str:
        return encode_cursor(PROPOSAL_CURSOR, str(self.record.id).encode())


@strawberry.input(name="Proposal_filter")
class ProposalFilter:
    organization: str | None = None
    status: str | None = None
    status_in: list[str] | None = None
    proposer: str | None = None

    def matches(self, p: Proposal) -> bool:
        r = p.record
        return ((self.status is None or r.status == self.status)
                and (self.status_in is None or r.status in self.status_in)
                and (self.proposer is None or r.proposer == self.proposer))


def _int_id(text: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ApiError(f"not {what} id: {text!r}") from None


def _listed(state, where: ProposalFilter, after: int | None, reverse: bool, height: int):
    """Yield proposals in id order, through the organization's index when one is named."""
    if where.organization is not None:
        prefix = keys.by_org(_int_id(where.organization, "an organization"))
    else:
        prefix = keys.PROPOSAL_PREFIX
    start = None if after is None else prefix + keys.pad(after if reverse else after + 1)
    for key, raw in state.iter_prefix(prefix, start, reverse):
        if where.organization is not None:
            record = props.get(state, int(key[len(prefix):]))
        else:
            record = codec.decode_value(props.Proposal, raw)
        yield Proposal(record=record, height=height)


@strawberry.type
class ProposalQueries:
    @strawberry.field(description="One proposal by id")
    def proposal(self, info: Info, id: str, block: BlockHeight | None = None) -> Proposal | None:
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            height = state_height(reader, block)
            found = props.get(reader.state_at(height), _int_id(id, "a proposal"))
            return None if found is None else Proposal(record=found, height=height)

    @strawberry.field(description="Proposals in id order; keyset pagination with after")
    def proposals(self, info: Info, first: int | None = None, after: str | None = None,
                  order_direction: OrderDirection = OrderDirection.asc, where: ProposalFilter | None = None,
                  block: BlockHeight | None = None) -> list[Proposal]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        where = where or ProposalFilter()
        after_id = None if after is None else _int_id(decode_cursor(PROPOSAL_CURSOR, after).decode(), "a proposal")
        with ctx.read() as reader:
            height = state_height(reader, block)
            rows = _listed(reader.state_at(height), where, after_id, order_direction == OrderDirection.desc, height)
            return take(rows, size, where.matches, lambda: ctx.charge(reader))


def _touched(reader, ctx, height: int) -> list:
    """Return the proposal records the block at ``height`` emitted events for, read at that block."""
    state = reader.state_at(height)
    ids = ids_touched(ctx, reader, EVENT_TYPES, "proposal_id", height)
    return [p for p in (props.get(state, i) for i in ids) if p is not None]


async def proposal_updates(info: Info, heights, proposal_id: str | None, organization: str | None):
    """Yield a Proposal each time a block emits one of its events (read at that block).

    Each block is read by ``readers.run`` (no transaction survives the ``yield``)."""
    async for height in heights:
        updated = readers.run(info.context.services.store, _touched, info.context, height)
        for record in updated:
            if (proposal_id is None or str(record.id) == proposal_id) and \
                    (organization is None or str(record.org_id) == organization):
                yield Proposal(record=record, height=height)
