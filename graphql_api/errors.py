"""Errors a client may see verbatim; every other exception is masked as an internal error.

An error with a ``code`` carries it as ``extensions.code`` in the answer (graphql-core
copies an exception's ``extensions`` onto the GraphQL error), so clients can tell the
limits apart without parsing messages.  Codes of the resource limits:
``COST_LIMIT_EXCEEDED`` (``cost.py``), ``TIME_LIMIT_EXCEEDED``, ``QUERY_TOO_LARGE``.
"""

from __future__ import annotations

TIME_LIMIT_EXCEEDED = "TIME_LIMIT_EXCEEDED"
QUERY_TOO_LARGE = "QUERY_TOO_LARGE"


class ApiError(Exception):
    """A client-facing error: bad argument, unknown height, limit exceeded, node unreachable."""

    code: str | None = None

    @property
    def extensions(self) -> dict | None:
        return None if self.code is None else {"code": self.code}


class QueryTimeout(ApiError):
    """The HTTP request (all its operations) ran past its time limit."""

    code = TIME_LIMIT_EXCEEDED


def is_client_error(error) -> bool:
    """Return whether ``error`` (a GraphQLError) may be shown unmasked."""
    original = getattr(error, "original_error", None)
    return original is None or isinstance(original, ApiError)
