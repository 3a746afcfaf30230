"""Input checks shared by the market's handlers (stateless ones and a few against state)."""

from __future__ import annotations

import re
from typing import Iterable

from abci_app.chain import addresses
from abci_app.chain.domain.accounts.handlers import check_amount, check_text
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.errors import (DocumentNotFound, EmptyText, InvalidArbiter, InvalidContentHash, InvalidTags, NotProjectOwner,
                             ProjectNotFound, SelfDealing, TooManyDocuments)
from abci_app.chain.context import TxContext
from abci_app.chain.state.protocols import StateRead

MAX_TAGS = 8
MAX_DOCUMENTS = 8
TAG = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")


def check_title(title: str, ctx: TxContext, what: str = "title") -> None:
    if not title.strip():
        raise EmptyText(f"{what} must not be empty")
    check_text(title, ctx.params.max_memo_bytes, what)


def check_description(text: str, ctx: TxContext) -> None:
    check_text(text, ctx.params.max_text_bytes, "description")


def check_tags(tags: tuple[str, ...]) -> None:
    """Allow at most ``MAX_TAGS`` distinct tags of lowercase letters, digits and hyphens (1-32 chars)."""
    if len(tags) > MAX_TAGS:
        raise InvalidTags(f"at most {MAX_TAGS} tags allowed, got {len(tags)}")
    for tag in tags:
        if not TAG.fullmatch(tag):
            raise InvalidTags(f"invalid tag {tag!r}: use 1-32 of a-z, 0-9 and '-', starting with a letter or digit")
    if len(set(tags)) != len(tags):
        raise InvalidTags("tags must be distinct")


def check_budget(budget: int) -> None:
    if budget:
        check_amount(budget, "budget")


def check_document_hashes(hashes: tuple[bytes, ...]) -> None:
    if len(hashes) > MAX_DOCUMENTS:
        raise TooManyDocuments(f"at most {MAX_DOCUMENTS} documents allowed, got {len(hashes)}")
    for value in hashes:
        check_hash(value, "document hash")
    if len(set(hashes)) != len(hashes):
        raise TooManyDocuments("documents must be distinct")


def check_hash(value: bytes, what: str) -> None:
    if len(value) != 32:
        raise InvalidContentHash(f"{what} must be a 32-byte SHA-256 hash, got {len(value)} bytes")


def check_optional_arbiter(arbiter: str) -> None:
    if arbiter:
        addresses.validate(arbiter, "arbiter address")


def require_documents(state: StateRead, hashes: Iterable[bytes]) -> None:
    for value in hashes:
        if documents.get(state, value) is None:
            raise DocumentNotFound(f"document {value.hex()} is not published")


def require_project_owner(state: StateRead, project_id: int, signer: str) -> None:
    project = projects.get(state, project_id)
    if project is None:
        raise ProjectNotFound(f"project {project_id} not found")
    if project.owner != signer:
        raise NotProjectOwner(f"only the owner of project {project_id} may post or pay from it")


def require_parties(requester: str, provider: str, arbiter: str) -> None:
    """Requester and provider differ; an arbiter, if any, is neither."""
    if requester == provider:
        raise SelfDealing("requester and provider must be different addresses")
    if arbiter and arbiter in (requester, provider):
        raise InvalidArbiter("the arbiter must not be a party to the agreement")
