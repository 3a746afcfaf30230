"""State keys of the market module.

``due(time, request_id)`` keys sort by block time: the end-of-block hook reads
only the requests whose offer period has ended.  ``offer_link`` lists a request's
open offers.
"""

from __future__ import annotations

from abci_app.chain.state import timers

REQUEST_PREFIX = b"mkt/req/"
OFFER_PREFIX = b"mkt/off/"
STANDING_PREFIX = b"mkt/so/"
DUE_PREFIX = b"mkt/due/"
# Open items per address (closed by the dissolution cascade): + address + "/" + %016x id.
REQUESTS_BY = b"mkt/rby/"
OFFERS_BY = b"mkt/oby/"
STANDING_BY = b"mkt/sby/"


def next_id(kind: str) -> bytes:
    return b"mkt/seq/" + kind.encode()


def request(request_id: int) -> bytes:
    return REQUEST_PREFIX + b"%016x" % request_id


def offer(offer_id: int) -> bytes:
    return OFFER_PREFIX + b"%016x" % offer_id


def standing_offer(standing_id: int) -> bytes:
    return STANDING_PREFIX + b"%016x" % standing_id


def offers_of(request_id: int) -> bytes:
    return b"mkt/ro/%016x/" % request_id


def offer_link(request_id: int, offer_id: int) -> bytes:
    return offers_of(request_id) + b"%016x" % offer_id


def due(time: int, request_id: int) -> bytes:
    return timers.time_key(DUE_PREFIX, time, request_id)


def by_address(prefix: bytes, address: str) -> bytes:
    """Prefix of the open requests, offers or standing offers (``prefix``) of ``address``."""
    return prefix + address.encode() + b"/"


def by_address_link(prefix: bytes, address: str, item_id: int) -> bytes:
    return by_address(prefix, address) + b"%016x" % item_id
