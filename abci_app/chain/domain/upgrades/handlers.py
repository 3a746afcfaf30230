"""``ScheduleUpgrade`` / ``CancelUpgrade`` and the begin-block step that applies a plan at its height.

Rules (each a stable error in codespace ``upgrade``):
* a name is 1-64 characters of ``a-z 0-9 . _ -``; ``info`` at most ``MAX_INFO_BYTES`` (``InvalidUpgradePlan``);
* only the network organization's treasury may act, i.e. a passed proposal of it
  (``validators/3``, as for the community pool);
* the height must be above the current block's and the name not applied before
  (``InvalidUpgradePlan``); a new plan replaces a pending one (its event names it);
* ``CancelUpgrade`` must name the pending plan (``NoSuchUpgrade``).

At the plan's height, before the block's transactions (``begin_block``): software that
knows the upgrade runs its migration, raises the app version, records the upgrade as
applied and drops the plan, all in the block's overlay; software that does not know it
raises ``UpgradeNeeded`` and the node stops before executing the block.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from abci_app.chain.domain.upgrades import registry, state as upgrades
from abci_app.chain.domain.upgrades.events import UpgradeApplied, UpgradeCancelled, UpgradeScheduled
from abci_app.chain.domain.upgrades.messages import CancelUpgrade, ScheduleUpgrade
from abci_app.chain.domain.validators.handlers import require_network_org
from abci_app.chain.errors import InvalidUpgradePlan, NoSuchUpgrade
from abci_app.chain.state.protocols import StateWrite

if TYPE_CHECKING:
    from abci_app.chain.context import BlockInfo, TxContext

NAME = re.compile(r"[a-z0-9._-]{1,64}")
MAX_INFO_BYTES = 1024


def check_name(name: str) -> None:
    if not NAME.fullmatch(name):
        raise InvalidUpgradePlan(f"an upgrade name is 1-64 characters of a-z 0-9 . _ -, got {name[:80]!r}")


def check_stateless_schedule(msg: ScheduleUpgrade, ctx: TxContext) -> None:
    check_name(msg.name)
    if msg.height <= 0:
        raise InvalidUpgradePlan("an upgrade height must be positive")
    if len(msg.info.encode()) > MAX_INFO_BYTES:
        raise InvalidUpgradePlan(f"upgrade info is at most {MAX_INFO_BYTES} bytes")


def check_and_execute_schedule(state: StateWrite, block: BlockInfo, ctx: TxContext,
                                msg: ScheduleUpgrade) -> list[object]:
    require_network_org(state, ctx.signer)
    if msg.height <= block.height:
        raise InvalidUpgradePlan(f"upgrade height {msg.height} is not above the current height {block.height}")
    if upgrades.applied_height(state, msg.name) is not None:
        raise InvalidUpgradePlan(f"upgrade {msg.name} was already applied")
    previous = upgrades.plan(state)
    upgrades.put_plan(state, upgrades.Plan(msg.name, msg.height, msg.info))
    return [UpgradeScheduled(msg.name, msg.height, previous.name if previous else "")]


def check_stateless_cancel(msg: CancelUpgrade, ctx: TxContext) -> None:
    check_name(msg.name)


def check_and_execute_cancel(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: CancelUpgrade) -> list[object]:
    require_network_org(state, ctx.signer)
    pending = upgrades.plan(state)
    if pending is None or pending.name != msg.name:
        raise NoSuchUpgrade(f"no pending upgrade named {msg.name}")
    upgrades.clear_plan(state)
    return [UpgradeCancelled(pending.name, pending.height)]


def begin_block(state: StateWrite, block: BlockInfo) -> list[object]:
    """Apply the pending plan if this block is at its height (see the module doc); else nothing."""
    pending = upgrades.plan(state)
    if pending is None or pending.height != block.height:
        return []
    upgrade = registry.KNOWN.get(pending.name)
    if upgrade is None:
        raise registry.UpgradeNeeded(pending)
    if upgrade.app_version <= upgrades.app_version(state):
        raise registry.IncompatibleSoftware(f"upgrade {pending.name} would not raise the app version "
                                            f"{upgrades.app_version(state)}")
    upgrade.migrate(state, block.height)
    upgrades.set_app_version(state, upgrade.app_version)
    upgrades.mark_applied(state, pending.name, block.height)
    upgrades.clear_plan(state)
    return [UpgradeApplied(pending.name, block.height, upgrade.app_version)]
