"""ABCI query path of the upgrades module (registered in ``components.QUERIES``).

* ``/upgrade``  ``{"app_version", "plan": {"name", "height", "info"} | null, "applied": [{"name", "height"}]}``
"""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.upgrades import state as upgrades
from abci_app.chain.errors import UnknownQuery
from abci_app.chain.state.protocols import StateRead


def query(state: StateRead, parts: list[str]) -> bytes:
    if parts:
        raise UnknownQuery(f"unknown query path /upgrade/{'/'.join(parts)[:80]}")
    return codec.encode_plain(document(state))


def document(state: StateRead) -> dict[str, object]:
    plan = upgrades.plan(state)
    return {"app_version": upgrades.app_version(state),
            "plan": None if plan is None else {"name": plan.name, "height": plan.height, "info": plan.info},
            "applied": [{"name": n, "height": h} for n, h in upgrades.applied(state)]}
