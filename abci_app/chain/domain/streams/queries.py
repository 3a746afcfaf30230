"""ABCI query paths of the streams module (registered in ``components.QUERIES``).

* ``/stream/<id>``                   the stream (canonical JSON)
* ``/streams/payer/<address>``       streams an address pays (JSON array, by id)
* ``/streams/recipient/<address>``   streams an address receives (JSON array, by id)
* ``/streams/recurring/<scope>``     recurring-cost figures: scope ``all`` or ``org/<payer address>``

What is claimable at a block time is ``streams.state.claimable``: ``min(total,
amount_per_period * whole periods since start) - claimed``.
"""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.organizations.queries import json_array
from abci_app.chain.domain.streams import keys, state as streams
from abci_app.chain.errors import NotFound, UnknownQuery
from abci_app.chain.query_args import parse_id
from abci_app.chain.state.protocols import StateRead

USAGE = "usage: /stream/<id>, /streams/payer/<address>, /streams/recipient/<address>, /streams/recurring/<scope>"


def query_stream(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) != 1:
        raise UnknownQuery(USAGE)
    found = streams.get(state, parse_id(parts[0], USAGE))
    if found is None:
        raise NotFound(f"stream {parts[0]} not found")
    return codec.encode_value(found)


def query_streams(state: StateRead, parts: list[str]) -> bytes:
    if len(parts) >= 2 and parts[0] == "recurring":
        return codec.encode_value(streams.recurring(state, "/".join(parts[1:])))
    index = {"payer": keys.BY_PAYER, "recipient": keys.BY_RECIPIENT}.get(parts[0] if parts else "")
    if index is None or len(parts) != 2:
        raise UnknownQuery(USAGE)
    return json_array(codec.encode_value(s) for s in streams.of_address(state, index, parts[1]))
