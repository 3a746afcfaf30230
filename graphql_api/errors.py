"""Errors a client may see verbatim; every other exception is masked as an internal error.

An error's ``extensions`` (e.g. ``{"code": ...}``) are part of the answer (graphql-core
copies an exception's ``extensions`` onto the GraphQL error), so clients can tell the
limits apart without parsing messages.  Codes of the resource limits:
``COST_LIMIT_EXCEEDED`` (``cost.py``), ``TIME_LIMIT_EXCEEDED``, ``QUERY_TOO_LARGE``;
of a read below the records kept: ``PRUNED``.
"""

from __future__ import annotations

TIME_LIMIT_EXCEEDED = "TIME_LIMIT_EXCEEDED"
QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
PRUNED = "PRUNED"


class ApiError(Exception):
    """A client-facing error: bad argument, unknown height, limit exceeded, node unreachable.

    ``extensions`` (a class or instance attribute) is copied into the answer's error.
    """

    extensions: dict | None = None


class QueryTimeout(ApiError):
    """The HTTP request (all its operations) ran past its time limit."""

    extensions = {"code": TIME_LIMIT_EXCEEDED}


class Pruned(ApiError):
    """The records of a height were deleted by record retention (``[records] retain_blocks``)."""

    extensions = {"code": PRUNED}


def is_client_error(error) -> bool:
    """Return whether ``error`` (a GraphQLError) may be shown unmasked."""
    original = getattr(error, "original_error", None)
    return original is None or isinstance(original, ApiError)
