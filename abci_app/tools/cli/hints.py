"""Rejections a person can act on: dates instead of Unix times, and a hint where the fix is known.

``explain(rpc, action, log)`` rewrites the chain's message: every Unix time in it
becomes a date with the relative time (relative to the latest block), and when a
permission check failed ("only the requester ...") on an object that belongs to an
organization's treasury, it says so and names the fix: ``--propose-in N``.
"""

from __future__ import annotations

from typing import Any

# action field holding the object id -> (ABCI path, where the owner's address is in the answer)
_OWNED = {"offer_id": ("offer", None), "request_id": ("request", ("requester",)),
          "agreement_id": ("agreement", ("requester",)), "project_id": ("project", ("project", "owner"))}


def explain(rpc: Any, action: Any, log: str) -> str:
    """Return ``log`` with dates and, where it applies, the ``--propose-in`` hint (never raises)."""
    try:
        from abci_app.tools.cli.reader import block_seconds, dated
        message = dated(log, block_seconds(rpc.status()["sync_info"]["latest_block_time"]))
        if action is not None and "only" in log:
            message += _treasury_hint(rpc, action)
        return message
    except Exception:   # noqa: BLE001 -- a hint is a courtesy: the chain's own message always stands
        return log


def _treasury_hint(rpc: Any, action: Any) -> str:
    for field, (kind, where) in _OWNED.items():
        object_id = getattr(action, field, 0)
        if not object_id:
            continue
        owner, what = _owner(rpc, kind, object_id, where)
        if not owner:
            return ""
        found = rpc.abci_query(f"/org/treasury/{owner}")
        if found["code"] == 0 and isinstance(found["value"], dict):
            org = found["value"]["id"]
            return f"; {what} belongs to organization {org}'s treasury: propose it with --propose-in {org}"
        return ""
    return ""


def _owner(rpc: Any, kind: str, object_id: int, where: tuple[str, ...] | None) -> tuple[str, str]:
    """The address that owns the object and the object's name (an offer's owner is its request's requester)."""
    answer = rpc.abci_query(f"/{kind}/{object_id}")
    if answer["code"] != 0 or not isinstance(answer["value"], dict):
        return "", ""
    if where is None:   # an offer: the decision is the request's requester's
        return _owner(rpc, "request", answer["value"]["request_id"], ("requester",))
    value: Any = answer["value"]
    for key in where:
        value = value.get(key, {}) if isinstance(value, dict) else {}
    return (value, f"{kind} {object_id}") if isinstance(value, str) else ("", "")
