"""Documents: publish by hash, supersede by a new version, attach to objects by who is responsible."""

from __future__ import annotations

from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.errors import (AlreadyAttached, AlreadySuperseded, DocumentExists, DocumentNotFound, EmptyText,
                             InvalidContentHash, NotAllowedToAttach, NotDocumentOwner, TargetNotFound,
                             UnknownTargetKind)
from tests.support.market import doc_hash, make_agreement, request_msg


def publish(n, **kw) -> PublishDocument:
    fields = dict(content_hash=doc_hash(n), title=f"document {n}", media_type="application/pdf")
    fields.update(kw)
    return PublishDocument(**fields)


def test_a_published_document_records_its_hash_metadata_and_owner(market, requester):
    market.ok(requester, publish(1, uri="ipfs://example"))
    doc = documents.get(market.state, doc_hash(1))
    assert (doc.owner, doc.uri, doc.media_type, doc.published_at) == (requester.address, "ipfs://example",
                                                                      "application/pdf", market.now)


def test_a_document_hash_is_published_once_and_must_be_sha256_sized(market, requester, provider):
    market.ok(requester, publish(1))
    market.fails(provider, publish(1), DocumentExists)
    market.fails(provider, publish(2, content_hash=b"x" * 31), InvalidContentHash)
    market.fails(provider, publish(2, media_type=""), EmptyText)


def test_a_new_version_supersedes_the_old_one_which_stays_unchanged(market, requester, provider):
    market.ok(requester, publish(1))
    old = documents.get(market.state, doc_hash(1))
    market.fails(provider, publish(2, supersedes=doc_hash(1)), NotDocumentOwner)
    market.fails(requester, publish(2, supersedes=doc_hash(9)), DocumentNotFound)
    market.fails(requester, publish(1, supersedes=doc_hash(1)), InvalidContentHash)
    market.ok(requester, publish(2, supersedes=doc_hash(1)))
    assert documents.successor(market.state, doc_hash(1)) == doc_hash(2)
    assert documents.get(market.state, doc_hash(1)) == old
    market.fails(requester, publish(3, supersedes=doc_hash(1)), AlreadySuperseded)


def test_only_the_requester_attaches_to_a_request(market, requester, provider):
    market.ok(requester, publish(1))
    market.ok(requester, request_msg(market.now))
    market.fails(provider, AttachDocument(doc_hash(1), "request", 1), NotAllowedToAttach)
    market.ok(requester, AttachDocument(doc_hash(1), "request", 1))
    assert [a.content_hash for a in documents.attachments(market.state, "request", 1)] == [doc_hash(1)]
    market.fails(requester, AttachDocument(doc_hash(1), "request", 1), AlreadyAttached)


def test_either_party_attaches_to_an_agreement_and_nobody_else(market, requester, provider, outsider):
    agreement_id = make_agreement(market, requester, provider)
    market.ok(outsider, publish(7))
    market.fails(outsider, AttachDocument(doc_hash(7), "agreement", agreement_id), NotAllowedToAttach)
    market.ok(provider, AttachDocument(doc_hash(7), "agreement", agreement_id))


def test_attaching_needs_a_published_document_a_known_kind_and_an_existing_target(market, requester):
    market.fails(requester, AttachDocument(doc_hash(1), "request", 1), DocumentNotFound)
    market.ok(requester, publish(1))
    market.fails(requester, AttachDocument(doc_hash(1), "invoice", 1), UnknownTargetKind)
    market.fails(requester, AttachDocument(doc_hash(1), "request", 5), TargetNotFound)
    market.fails(requester, AttachDocument(doc_hash(1), "proposal", 0), TargetNotFound)


def test_a_proposal_takes_documents_from_its_proposer_and_voters_only(market, requester, provider, outsider):
    from abci_app.chain.domain.organizations.messages import CreateOrganization, OrgMember, OrgPolicy
    from abci_app.chain.domain.proposals.messages import SubmitProposal

    members = (OrgMember(requester.address, 1), OrgMember(provider.address, 1))
    market.ok(requester, CreateOrganization("First-aid group", "Neighbourhood first aid", members,
                                            OrgPolicy(1, 2, 7 * 86_400, 0, False)))
    market.ok(requester, SubmitProposal(1, "Hire a trainer", "", (request_msg(market.now),)))
    market.ok(outsider, publish(1))
    market.fails(outsider, AttachDocument(doc_hash(1), "proposal", 1), NotAllowedToAttach)
    market.ok(provider, AttachDocument(doc_hash(1), "proposal", 1))
    assert documents.is_attached(market.state, "proposal", 1, doc_hash(1))
    market.fails(provider, AttachDocument(doc_hash(1), "proposal", 2), TargetNotFound)
