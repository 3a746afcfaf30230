"""Documents (versions, attachments), projects (budget, transfer history) and reputation (overall, per skill).

Read with ``abci_app.chain.domain.documents``, ``.projects`` and ``.reputation``.  A
reputation score decays with block time; it is given as of the block the answer
reflects, in milli-points, with the module's own ``score_at``.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.chain import codec
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.domain.projects import keys as project_keys, state as projects
from abci_app.chain.domain.reputation import state as reputation
from graphql_api import history
from graphql_api.pagination import OrderDirection, check_first, decode_cursor, encode_cursor, take
from graphql_api.types.common import BigInt, BlockHeight, int_id, parse_hex, state_height, walk_ids


@strawberry.type(name="Document")
class Document:
    content_hash: str
    title: str
    media_type: str
    uri: str
    owner: str
    published_at: int
    supersedes: str | None
    superseded_by: str | None


@strawberry.type(name="Attachment")
class Attachment:
    content_hash: str
    attached_by: str
    attached_at: int


@strawberry.type(name="ProjectHistoryEntry")
class ProjectHistoryEntry:
    time: int
    kind: str
    actor: str
    amount: BigInt
    ref: int
    detail: str


@strawberry.type(name="Project")
class Project:
    id: str
    owner: str
    title: str
    description: str
    budget: BigInt
    created_at: int
    history: list[ProjectHistoryEntry]
    open_requests: list[str]
    open_agreements: list[str]
    cursor: str


@strawberry.type(name="ReputationCounts")
class ReputationCounts:
    completed_as_provider: int
    completed_as_requester: int
    on_time: int
    broken: int
    disputes_opened: int
    disputes_won: int
    disputes_lost: int
    ratings_received: int
    rating_sum: int


@strawberry.type(name="Reputation")
class Reputation:
    tag: str | None = strawberry.field(description="null: overall")
    score: int = strawberry.field(description="milli-points, decayed to the answer's block time")
    counts: ReputationCounts


def make_document(state, d: documents.Document) -> Document:
    after = documents.successor(state, d.content_hash)
    return Document(content_hash=d.content_hash.hex(), title=d.title, media_type=d.media_type, uri=d.uri,
                    owner=d.owner, published_at=d.published_at, supersedes=d.supersedes.hex() or None,
                    superseded_by=None if after is None else after.hex())


def make_project(state, p: projects.Project) -> Project:
    entries = [ProjectHistoryEntry(time=e.time, kind=e.kind, actor=e.actor, amount=e.amount, ref=e.ref, detail=e.detail)
               for e in projects.history(state, p.id)]
    return Project(id=str(p.id), owner=p.owner, title=p.title, description=p.description, budget=p.budget,
                   created_at=p.created_at, history=entries,
                   open_requests=[str(i) for i in projects.open_requests(state, p.id)],
                   open_agreements=[str(i) for i in projects.open_agreements(state, p.id)],
                   cursor=encode_cursor("project", str(p.id).encode()))


def make_reputation(state, address: str, tag: str, now: int) -> Reputation:
    rep = reputation.get(state, address, tag)
    half_life = market_params.get(state).reputation_half_life
    counts = ReputationCounts(**{name: getattr(rep.counts, name) for name in ReputationCounts.__annotations__})
    return Reputation(tag=tag or None, score=reputation.score_at(rep, now, half_life), counts=counts)


def block_time(reader, height: int) -> int:
    record = history.block(reader, height)
    return reader.committed.time if record is None else record.time


@strawberry.type
class WorksQueries:
    @strawberry.field(description="One document version by content hash (hex)")
    def document(self, info: Info, hash: str, block: BlockHeight | None = None) -> Document | None:
        with info.context.read() as reader:
            state = reader.state_at(state_height(reader, block))
            found = documents.get(state, parse_hex(hash, "hash"))
            return None if found is None else make_document(state, found)

    @strawberry.field(description="Documents attached to a request, agreement, proposal or project")
    def attachments(self, info: Info, kind: str, id: str, block: BlockHeight | None = None) -> list[Attachment]:
        with info.context.read() as reader:
            state = reader.state_at(state_height(reader, block))
            return [Attachment(content_hash=a.content_hash.hex(), attached_by=a.attached_by, attached_at=a.attached_at)
                    for a in documents.attachments(state, kind, int_id(id, "a target"))]

    @strawberry.field(description="One project by id, with its budget and transfer history")
    def project(self, info: Info, id: str, block: BlockHeight | None = None) -> Project | None:
        with info.context.read() as reader:
            state = reader.state_at(state_height(reader, block))
            found = projects.get(state, int_id(id, "a project"))
            return None if found is None else make_project(state, found)

    @strawberry.field(description="Projects in id order; keyset pagination with after")
    def projects(self, info: Info, first: int | None = None, after: str | None = None, owner: str | None = None,
                 order_direction: OrderDirection = OrderDirection.asc,
                 block: BlockHeight | None = None) -> list[Project]:
        ctx = info.context
        size = check_first(first, ctx.config.max_first)
        after_id = None if after is None else int_id(decode_cursor("project", after).decode(), "a project")
        with ctx.read() as reader:
            state = reader.state_at(state_height(reader, block))
            rows = (codec.decode_value(projects.Project, raw) for _k, raw in
                    walk_ids(state, project_keys.PROJECT_PREFIX, project_keys.project, after_id,
                             order_direction == OrderDirection.desc))
            found = take(rows, size, lambda p: owner is None or p.owner == owner, lambda: ctx.charge(reader))
            return [make_project(state, p) for p in found]

    @strawberry.field(description="Reputation of an address: overall and per skill tag")
    def reputation(self, info: Info, address: str, block: BlockHeight | None = None) -> list[Reputation]:
        with info.context.read() as reader:
            height = state_height(reader, block)
            state, now = reader.state_at(height), block_time(reader, height)
            return [make_reputation(state, address, tag, now) for tag in [""] + reputation.tags(state, address)]
