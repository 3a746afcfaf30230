"""Errors a client may see verbatim; every other exception is masked as an internal error."""

from __future__ import annotations


class ApiError(Exception):
    """A client-facing error: bad argument, unknown height, limit exceeded, node unreachable."""


class QueryTimeout(ApiError):
    """The operation ran past the per-operation time limit."""


def is_client_error(error) -> bool:
    """Return whether ``error`` (a GraphQLError) may be shown unmasked."""
    original = getattr(error, "original_error", None)
    return original is None or isinstance(original, ApiError)
