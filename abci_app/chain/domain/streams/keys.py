"""State keys of the streams module.  Ids are zero-padded decimals, so key order is numeric order."""

from __future__ import annotations

PREFIX = b"strm/"
NEXT_ID = b"strm/next_id"
STREAM_PREFIX = b"strm/s/"
BY_PAYER = b"strm/p/"        # + payer + "/" + pad(id)
BY_RECIPIENT = b"strm/r/"    # + recipient + "/" + pad(id)
RECURRING = b"fri/r/"        # + scope: recurring-cost figures (``all`` and ``org/<payer>``)


def pad(number: int) -> bytes:
    return b"%020d" % number


def stream(stream_id: int) -> bytes:
    return STREAM_PREFIX + pad(stream_id)


def of(index: bytes, address: str) -> bytes:
    """Prefix of the streams an address pays (``BY_PAYER``) or receives (``BY_RECIPIENT``)."""
    return index + address.encode() + b"/"


def link(index: bytes, address: str, stream_id: int) -> bytes:
    return of(index, address) + pad(stream_id)


def recurring(scope: str) -> bytes:
    return RECURRING + scope.encode()
