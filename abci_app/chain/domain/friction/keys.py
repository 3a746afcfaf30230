"""State keys of the friction module.

``aggregate(scope, kind, period)`` keys start with ``series(scope, kind)`` and sort
by period, so a prefix scan reads one scope's days or weeks in time order.
Scopes: ``all``, ``org/<requester address>``, ``tag/<skill tag>``; kinds ``day``, ``week``.
"""

from __future__ import annotations


def figures(agreement_id: int) -> bytes:
    return b"fri/a/%016x" % agreement_id


def series(scope: str, kind: str) -> bytes:
    return b"fri/g/%s/%s/" % (scope.encode(), kind.encode())


def aggregate(scope: str, kind: str, period: int) -> bytes:
    return series(scope, kind) + b"%08x" % period
