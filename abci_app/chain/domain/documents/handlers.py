"""Handlers of documents: publish (optionally superseding an earlier version) and attach.

Who may attach to what:

* request: its requester;  offer: its provider;  agreement: either party;
  project: its owner;
* proposal: its proposer or any of its voters (the members when it was submitted).
"""

from __future__ import annotations

from abci_app.chain.domain.accounts.handlers import check_text
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.documents.events import DocumentAttached, DocumentPublished
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.domain.documents.state import Attachment, Document
from abci_app.chain.domain.market import checks
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.errors import (AlreadyAttached, AlreadySuperseded, DocumentExists, DocumentNotFound, EmptyText,
                             InvalidContentHash, NotAllowedToAttach, NotDocumentOwner, TargetNotFound,
                             UnknownTargetKind)
from abci_app.chain.context import BlockInfo, TxContext
from abci_app.chain.state.protocols import StateRead, StateWrite

TARGET_KINDS = ("agreement", "offer", "project", "proposal", "request")
MAX_URI_BYTES = 1024


def check_stateless_publish(msg: PublishDocument, ctx: TxContext) -> None:
    checks.check_hash(msg.content_hash, "content hash")
    checks.check_title(msg.title, ctx)
    if not msg.media_type:
        raise EmptyText("media type must not be empty")
    check_text(msg.media_type, 127, "media type")
    check_text(msg.uri, MAX_URI_BYTES, "uri")
    if msg.supersedes:
        checks.check_hash(msg.supersedes, "superseded hash")
        if msg.supersedes == msg.content_hash:
            raise InvalidContentHash("a document cannot supersede itself")


def check_and_execute_publish(state: StateWrite, block: BlockInfo, ctx: TxContext,
                              msg: PublishDocument) -> list[object]:
    """Register a new document owned by the signer; a successor must come from the old version's owner."""
    if documents.get(state, msg.content_hash) is not None:
        raise DocumentExists(f"document {msg.content_hash.hex()} is already published")
    if msg.supersedes:
        old = documents.get(state, msg.supersedes)
        if old is None:
            raise DocumentNotFound(f"document {msg.supersedes.hex()} is not published")
        if old.owner != ctx.signer:
            raise NotDocumentOwner(f"only the owner of {msg.supersedes.hex()} may publish its next version")
        if documents.successor(state, msg.supersedes) is not None:
            raise AlreadySuperseded(f"document {msg.supersedes.hex()} already has a newer version")
        documents.set_successor(state, msg.supersedes, msg.content_hash)
    documents.put(state, Document(msg.content_hash, msg.title, msg.media_type, msg.uri, ctx.signer, block.time,
                                  msg.supersedes))
    return [DocumentPublished(msg.content_hash, ctx.signer, msg.supersedes)]


def check_stateless_attach(msg: AttachDocument, ctx: TxContext) -> None:
    checks.check_hash(msg.content_hash, "content hash")
    if msg.target_kind not in TARGET_KINDS:
        raise UnknownTargetKind(f"target kind must be one of {', '.join(TARGET_KINDS)}, got {msg.target_kind!r}")


def allowed_attachers(state: StateRead, kind: str, target_id: int) -> tuple[str, ...] | None:
    """Return who may attach to the target, or ``None`` if it does not exist."""
    if kind == "request":
        obj = market.get_request(state, target_id)
        return None if obj is None else (obj.requester,)
    if kind == "offer":
        offer = market.get_offer(state, target_id)
        return None if offer is None else (offer.provider,)
    if kind == "agreement":
        agreement = agreements.get(state, target_id)
        return None if agreement is None else (agreement.requester, agreement.provider)
    if kind == "project":
        project = projects.get(state, target_id)
        return None if project is None else (project.owner,)
    if kind == "proposal":
        proposal = proposals.get(state, target_id)
        return None if proposal is None else (
            (proposal.proposer,) + tuple(v.address for v in proposals.voters(state, proposal.id)))
    raise AssertionError(f"unhandled target kind {kind}")  # check_stateless admits only TARGET_KINDS


def check_and_execute_attach(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: AttachDocument) -> list[object]:
    """Attach a published document to an object the signer is responsible for."""
    if documents.get(state, msg.content_hash) is None:
        raise DocumentNotFound(f"document {msg.content_hash.hex()} is not published")
    allowed = allowed_attachers(state, msg.target_kind, msg.target_id)
    if allowed is None:
        raise TargetNotFound(f"{msg.target_kind} {msg.target_id} not found")
    if ctx.signer not in allowed:
        raise NotAllowedToAttach(f"{ctx.signer} may not attach documents to {msg.target_kind} {msg.target_id}")
    if documents.is_attached(state, msg.target_kind, msg.target_id, msg.content_hash):
        raise AlreadyAttached(f"document is already attached to {msg.target_kind} {msg.target_id}")
    if msg.target_kind == "project":
        projects.require_room(state, msg.target_id, block.market.max_project_items)
        projects.add_document(state, msg.target_id)
    documents.attach(state, msg.target_kind, msg.target_id, Attachment(msg.content_hash, ctx.signer, block.time))
    return [DocumentAttached(msg.content_hash, msg.target_kind, msg.target_id, ctx.signer)]
