"""State-layout changes made since app version 1, and the migration of upgrade ``v2`` that runs them.

Upgrade ``v2`` (app version 2, registered in ``registry.KNOWN``) runs ``migrate``:
every step below, in order, on the block's overlay at the upgrade height.  A chain
started by this software is at version 2 from genesis and never runs it
(``docs/upgrades.md``, "The upgrades this software ships").  A layout change made
before the next release adds its step here, tested on the layout before
(``tests/domain/upgrades/test_release_steps.py``, ``test_migration_v2.py``).

Steps run in the order listed; each must leave a state already in the new
layout unchanged (a chain started after the change).
"""

from __future__ import annotations

from typing import Callable, cast

from abci_app.chain.domain.proposals import migration as proposal_migration
from abci_app.chain.domain.roles import expiry as role_expiry
from abci_app.chain.domain.upgrades import time_index_keys
from abci_app.chain.state.protocols import StateWrite

Step = Callable[[StateWrite, int], None]

NAME = "v2"
APP_VERSION = 2

STEPS: tuple[tuple[str, Step], ...] = (
    ("one time-index key format: 8-byte big-endian numbers (issue 14)", time_index_keys.rewrite),
    ("proposal voters and delegation snapshots under per-voter keys (issue 18)", proposal_migration.per_voter_keys),
    ("roles indexed in their expiry queue (issue 18)", role_expiry.index_existing),
)


def migrate(state: object, height: int) -> None:
    """Run every step of ``STEPS`` in order on the block's overlay (a ``registry.Migration``)."""
    for _, step in STEPS:
        step(cast(StateWrite, state), height)
