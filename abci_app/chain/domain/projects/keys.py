"""State keys of the projects module.

``due(time, id)`` keys sort by block time, so the end-of-block hook reads only the
transfer offers that are due.  ``request_link``/``agreement_link`` list a
project's open requests and unsettled agreements (what moves with it).
"""

from __future__ import annotations

from abci_app.chain.state import timers

NEXT_ID = b"prj/seq"
PROJECT_PREFIX = b"prj/p/"
DUE_PREFIX = b"prj/due/"
OWNER_PREFIX = b"prj/own/"   # + owner address + "/" + %016x id: projects an address owns (dissolution cascade)


def project(project_id: int) -> bytes:
    return PROJECT_PREFIX + b"%016x" % project_id


def transfer_offer(project_id: int) -> bytes:
    return b"prj/offer/%016x" % project_id


def history_of(project_id: int) -> bytes:
    return b"prj/hist/%016x/" % project_id


def history(project_id: int, seq: int) -> bytes:
    return history_of(project_id) + b"%08x" % seq


def requests_of(project_id: int) -> bytes:
    return b"prj/req/%016x/" % project_id


def request_link(project_id: int, request_id: int) -> bytes:
    return requests_of(project_id) + b"%016x" % request_id


def items(project_id: int) -> bytes:
    """The count of the project's open requests, unsettled agreements and documents (``max_project_items``)."""
    return b"prj/items/%016x" % project_id


def agreements_of(project_id: int) -> bytes:
    return b"prj/agr/%016x/" % project_id


def agreement_link(project_id: int, agreement_id: int) -> bytes:
    return agreements_of(project_id) + b"%016x" % agreement_id


def due(time: int, project_id: int) -> bytes:
    return timers.time_key(DUE_PREFIX, time, project_id)


def owned_by(owner: str) -> bytes:
    return OWNER_PREFIX + owner.encode() + b"/"


def owner_link(owner: str, project_id: int) -> bytes:
    return owned_by(owner) + b"%016x" % project_id
