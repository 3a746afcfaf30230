"""``documents(owner)``: the documents an address registered, through the records' ``obj/`` index
(``document_published`` by owner, keyed by content hash), each read from the state at the
answer's block (a version published after that block is not listed).  Newest first; at most
``first`` (the page says when an owner has more).
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from abci_app.adapter import records
from abci_app.adapter.storage.store import iter_prefix
from abci_app.chain.domain.documents import state as documents
from graphql_api.pagination import check_first
from graphql_api.types.common import BlockHeight, state_height
from graphql_api.types.works import Document, make_document

HASH_BYTES = 32


@strawberry.type
class OwnedDocumentQueries:
    @strawberry.field(description="Documents an address registered (every version), newest first")
    def documents(self, info: Info, owner: str, first: int | None = None,
                  block: BlockHeight | None = None) -> list[Document]:
        ctx = info.context
        ctx.check_deadline()
        size = check_first(first, ctx.config.max_first)
        prefix = records.object_prefix("document_published", "owner", owner)
        found = []
        with ctx.read() as reader:
            state = reader.state_at(state_height(reader, block))
            for key, _ in iter_prefix(reader.txn, reader.store.db(b"index"), prefix, None, False):
                ctx.charge(reader)
                doc = documents.get(state, bytes(key[len(prefix):len(prefix) + HASH_BYTES]))
                if doc is not None and doc.owner == owner:
                    found.append(make_document(state, doc))
        found.sort(key=lambda d: (-d.published_at, d.content_hash))
        return found[:size]
