"""The migration registry: the upgrades this software knows, by name, each with its migration.

An ``Upgrade`` names the plan it answers, the app version the chain runs after it,
and ``migrate(state, height)``: ordinary code over the block's copy-on-write
overlay (``abci_app.chain.state.delta.Delta``), run once at the plan's height before the
block's transactions, inside the app hash.  A migration must be deterministic
(the state machine's rules: no clock, randomness, floats, I/O, set iteration) and
must not raise ``LedgerError``: any exception halts the node, as in any block.

This software's own upgrades are registered in ``KNOWN`` below; it runs app
version 2 (upgrade ``v2``: the layout changes of ``release.STEPS``, among them the
one time-index key format).
A build that adds one registers it here, next to a test running it on a state built
by the previous version (``tests/domain/upgrades/test_migration_<name>.py``).
``abci_app.__main__`` (the node's composition root, not the core) imports extra modules named by ``SAMEN_UPGRADE_PLUGINS``
(comma-separated dotted paths) that call ``register``: how the upgrade tests
build "the next version" without a second checkout (``tests/support/upgrade_next.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from abci_app.chain.domain.upgrades import release
from abci_app.chain.domain.upgrades.state import FIRST_APP_VERSION, Plan
from abci_app.chain.state.protocols import StateWrite

Migration = Callable[[StateWrite, int], None]


@dataclass(frozen=True, slots=True)
class Upgrade:
    name: str
    app_version: int          # the chain's app version once this upgrade is applied
    migrate: Migration        # (state overlay, height) -> None


KNOWN: dict[str, Upgrade] = {}   # this software's upgrades (registered below), by name


def register(upgrade: Upgrade) -> None:
    """Add ``upgrade``; a second one with the same name, or a version not above the first, is a ValueError."""
    if upgrade.name in KNOWN and KNOWN[upgrade.name] != upgrade:
        raise ValueError(f"upgrade {upgrade.name!r} is registered twice")
    if upgrade.app_version <= FIRST_APP_VERSION:
        raise ValueError(f"upgrade {upgrade.name!r} must raise the app version above {FIRST_APP_VERSION}")
    KNOWN[upgrade.name] = upgrade


register(Upgrade(release.NAME, release.APP_VERSION, release.migrate))


def software_app_version() -> int:
    """The app version this software runs: the highest its upgrades reach (1 without any)."""
    return max([FIRST_APP_VERSION, *(u.app_version for u in KNOWN.values())])


class UpgradeHalt(Exception):
    """This software may not execute the chain's next block; the node stops with ``str(self)``."""


class UpgradeNeeded(UpgradeHalt):
    """The chain reached the height of an upgrade this software does not know."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(f"upgrade {plan.name} needed at height {plan.height}")
        self.plan = plan


class IncompatibleSoftware(UpgradeHalt):
    """The software runs another app version than the chain at this height (too old, or too new too early)."""
