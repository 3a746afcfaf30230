"""Document handlers, pure: publishing against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain import errors
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.documents.messages import PublishDocument
from tests.support.chain import key
from tests.support.market import doc_hash
from tests.support.pure import PureChain

PIM, ANA = key(1), key(2)


def test_a_published_document_is_registered_under_its_hash_with_its_owner_and_block_time():
    world = PureChain({PIM: 100})
    world.run(PIM, PublishDocument(doc_hash(1), "Design", "application/pdf"))
    doc = documents.get(world.state, doc_hash(1))
    assert (doc.title, doc.owner, doc.published_at) == ("Design", PIM.address, world.time)


def test_the_same_hash_twice_and_a_hash_of_the_wrong_length_are_rejected():
    world = PureChain({PIM: 100, ANA: 100})
    world.run(PIM, PublishDocument(doc_hash(1), "Design", "application/pdf"))
    world.rejects(ANA, PublishDocument(doc_hash(1), "Mine now", "application/pdf"), errors.DocumentExists)
    world.rejects(ANA, PublishDocument(b"short", "Bad", "text/plain"), errors.InvalidContentHash)
    assert documents.get(world.state, doc_hash(1)).owner == PIM.address
