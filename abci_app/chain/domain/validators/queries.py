"""ABCI query paths of the validators module (registered in ``components.QUERIES``).

* ``/validators``              ``{"org_id", "min_validators", "validators": [{"pub_key", "power"}]}``
                               (pub_key in base64, as CometBFT's RPC shows it)
* ``/validators/misbehavior``  every misbehavior FinalizeBlock reported, oldest first
"""

from __future__ import annotations

import base64

from abci_app.chain import codec
from abci_app.chain.domain.validators import state as vals
from abci_app.chain.errors import UnknownQuery
from abci_app.chain.state.protocols import StateRead


def query(state: StateRead, parts: list[str]) -> bytes:
    if not parts:
        doc = {"org_id": vals.network_org(state), "min_validators": vals.min_validators(state),
               "validators": [{"pub_key": base64.b64encode(k).decode(), "power": p} for k, p in vals.members(state)]}
        return codec.encode_plain(doc)
    if parts == ["misbehavior"]:
        items = [{"kind": m.kind, "validator": m.validator.hex().upper(), "power": m.power, "height": m.height,
                  "time": m.time} for m in vals.misbehavior(state)]
        return codec.encode_plain(items)
    raise UnknownQuery(f"unknown query path /validators/{'/'.join(parts)}")
