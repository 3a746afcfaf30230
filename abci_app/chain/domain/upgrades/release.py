"""State-layout changes made since app version 1, and the migration the first release upgrade runs for them.

No network runs app version 1 yet, so each change below is, for now, a breaking
change for a chain started before it (``docs/upgrades.md``, "Layout changes
before the first release").  Each also ships its migration step here, tested on
the layout before, so that when a network runs, the release that first changes
a layout under it registers ``Upgrade(name, 2, migrate)`` in
``registry.KNOWN`` and nothing else.  Registering it now would make this software
app version 2 and have every new chain's genesis record 2, for no chain that
needs the migration.

Steps run in the order listed; each must leave a state already in the new
layout unchanged (a chain started after the change).
"""

from __future__ import annotations

from typing import Callable, cast

from abci_app.chain.domain.proposals import migration as proposal_migration
from abci_app.chain.domain.roles import expiry as role_expiry
from abci_app.chain.state.protocols import StateWrite

Step = Callable[[StateWrite, int], None]

STEPS: tuple[tuple[str, Step], ...] = (
    ("proposal voters and delegation snapshots under per-voter keys (issue 18)", proposal_migration.per_voter_keys),
    ("roles indexed in their expiry queue (issue 18)", role_expiry.index_existing),
)


def migrate(state: object, height: int) -> None:
    """Run every step of ``STEPS`` in order on the block's overlay (a ``registry.Migration``)."""
    for _, step in STEPS:
        step(cast(StateWrite, state), height)
