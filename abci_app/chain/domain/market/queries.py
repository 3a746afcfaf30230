"""ABCI query paths of the market family (registered in ``components.QUERIES``).

Values are canonical JSON (``codec.encode_value``) unless noted.

* ``/request/<id>``, ``/request/<id>/offers`` (open offers, JSON array)
* ``/offer/<id>``, ``/standing_offer/<id>``
* ``/agreement/<id>``, ``/agreement/<id>/rating/<requester|provider>``
* ``/document/<sha256 hex>`` (with ``successor``), ``/attachments/<kind>/<id>`` (JSON array)
* ``/project/<id>`` (with its open transfer offer), ``/project/<id>/history`` (JSON array)
* ``/reputation/<address>[/<tag>]`` (counts; score in milli-points as of ``score_time``)
* ``/friction/agreement/<id>``; ``/friction/<day|week>/<all | org/<address> | tag/<tag>>``
  (JSON array of periods with counts, totals, medians and 90th percentiles)
"""

from __future__ import annotations

from typing import Any, TypeVar

from abci_app.chain import codec
from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.documents import state as documents
from abci_app.chain.domain.friction import state as friction
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.domain.market import state as market
from abci_app.chain.domain.projects import state as projects
from abci_app.chain.domain.reputation import state as reputation
from abci_app.chain.errors import NotFound, UnknownQuery
from abci_app.chain.query_args import parse_id
from abci_app.chain.state.protocols import StateRead

T = TypeVar("T")


def _id(parts: list[str], what: str) -> int:
    if not parts:
        raise UnknownQuery(f"usage: /{what}/<id>")
    return parse_id(parts[0], f"usage: /{what}/<id>")


def _found(value: T | None, what: str) -> T:
    if value is None:
        raise NotFound(f"{what} not found")
    return value


def _json(obj: Any) -> bytes:
    return codec.encode_plain(obj)


def _plain(obj: Any) -> object:
    return codec.read_plain(codec.encode_value(obj))


def query_request(state: StateRead, parts: list[str]) -> bytes:
    request = _found(market.get_request(state, _id(parts, "request")), f"request {parts[0]}")
    if parts[1:] == ["offers"]:
        return _json([_plain(market.get_offer(state, i)) for i in market.open_offer_ids(state, request.id)])
    return codec.encode_value(request)


def query_offer(state: StateRead, parts: list[str]) -> bytes:
    return codec.encode_value(_found(market.get_offer(state, _id(parts, "offer")), f"offer {parts[0]}"))


def query_standing(state: StateRead, parts: list[str]) -> bytes:
    found = market.get_standing(state, _id(parts, "standing_offer"))
    return codec.encode_value(_found(found, f"standing offer {parts[0]}"))


def query_agreement(state: StateRead, parts: list[str]) -> bytes:
    agreement = _found(agreements.get(state, _id(parts, "agreement")), f"agreement {parts[0]}")
    if len(parts) == 3 and parts[1] == "rating":
        return codec.encode_value(_found(agreements.get_rating(state, agreement.id, parts[2]), "rating"))
    return codec.encode_value(agreement)


def query_document(state: StateRead, parts: list[str]) -> bytes:
    try:
        content_hash = bytes.fromhex(parts[0]) if len(parts) == 1 else b""
    except ValueError:
        content_hash = b""
    doc = _found(documents.get(state, content_hash), f"document {'/'.join(parts)}")
    successor = documents.successor(state, content_hash)
    return _json({"document": _plain(doc), "successor": successor.hex() if successor else ""})


def query_attachments(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) != 2:
        raise UnknownQuery("usage: /attachments/<kind>/<id>")
    target = parse_id(parts[1], "usage: /attachments/<kind>/<id>")
    return _json([_plain(a) for a in documents.attachments(state, parts[0], target)])


def query_project(state: StateRead, parts: list[str]) -> bytes:
    project = _found(projects.get(state, _id(parts, "project")), f"project {parts[0]}")
    if parts[1:] == ["history"]:
        return _json([_plain(e) for e in projects.history(state, project.id)])
    offer = projects.get_offer(state, project.id)
    return _json({"project": _plain(project), "transfer_offer": _plain(offer) if offer else None,
                  "open_requests": projects.open_requests(state, project.id),
                  "open_agreements": projects.open_agreements(state, project.id)})


def reputation_view(state: StateRead, address: str, tag: str, now: int | None = None) -> dict[str, Any]:
    """Return a reputation record; ``score`` is decayed to block time ``now`` (default: its own time).

    ABCI queries do not know the current block time, so they report the score as
    of ``score_time`` with the half-life; readers that know the time (GraphQL)
    pass ``now``.
    """
    rep = reputation.get(state, address, tag)
    half_life = market_params.get(state).reputation_half_life
    at = rep.score_time if now is None else now
    return {"address": address, "tag": tag, "counts": _plain(rep.counts), "score": reputation.score_at(rep, at, half_life),
            "score_time": at, "half_life": half_life}


def query_reputation(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) not in (1, 2):
        raise UnknownQuery("usage: /reputation/<address>[/<tag>]")
    tag = parts[1] if len(parts) == 2 else ""
    view = reputation_view(state, parts[0], tag)
    if not tag:
        view["tags"] = reputation.tags(state, parts[0])
    return _json(view)


def query_friction(state: StateRead, parts: list[str]) -> bytes:
    if parts[:1] == ["agreement"]:
        figures = friction.get_figures(state, _id(parts[1:], "friction/agreement"))
        return codec.encode_value(_found(figures, "friction figures (agreement unknown or not settled)"))
    if len(parts) < 2 or parts[0] not in friction.KINDS:
        raise UnknownQuery("usage: /friction/<day|week>/<all|org/<address>|tag/<tag>> or /friction/agreement/<id>")
    series = friction.series(state, "/".join(parts[1:]), parts[0])
    return _json([dict(friction.summary(agg), period=period) for period, agg in series])


QUERIES = {
    "request": query_request,
    "offer": query_offer,
    "standing_offer": query_standing,
    "agreement": query_agreement,
    "document": query_document,
    "attachments": query_attachments,
    "project": query_project,
    "reputation": query_reputation,
    "friction": query_friction,
}
