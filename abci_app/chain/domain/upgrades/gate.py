"""Whether this software may run the chain's next block (checked when the app starts and at InitChain).

Decision (docs/upgrades.md): software runs exactly one app version, the highest
its registered upgrades reach; it does not carry older rules.  So at start, with
the chain committed at ``height``:

* a plan at ``height + 1`` that the software does not know: ``UpgradeNeeded``
  ("upgrade NAME needed at height H"), the same line as at the halt;
* the chain runs a newer app version than the software: ``IncompatibleSoftware``;
* the chain runs an older one: allowed only when the pending plan at ``height + 1``
  is an upgrade the software knows that reaches its version (the switch point);
  otherwise ``IncompatibleSoftware`` (run the older software until the upgrade
  height; ``samen start`` switches versions by itself).

A chain that has not committed a block yet is not checked: InitChain records
the software's app version in genesis state (``genesis_version``), or brings an
imported older state up to it (``migrate_imported``).
"""

from __future__ import annotations

from abci_app.chain.domain.upgrades import registry, state as upgrades
from abci_app.chain.domain.upgrades.registry import IncompatibleSoftware, UpgradeHalt, UpgradeNeeded
from abci_app.chain.state.protocols import StateRead, StateWrite


def startup_problem(state: StateRead, height: int) -> UpgradeHalt | None:
    """Return why this software must not run block ``height + 1`` on ``state`` (None: it may)."""
    if height == 0:
        return None
    pending = upgrades.plan(state)
    switching = pending if pending is not None and pending.height == height + 1 else None
    if switching is not None and switching.name not in registry.KNOWN:
        return UpgradeNeeded(switching)
    chain, software = upgrades.app_version(state), registry.software_app_version()
    if chain == software:
        return None
    if chain < software and switching is not None and registry.KNOWN[switching.name].app_version == software:
        return None
    hint = (f"; the chain's next upgrade is {pending.name} at height {pending.height}" if pending else "")
    return IncompatibleSoftware(f"this software runs app version {software} but the chain at height {height} "
                                f"runs app version {chain}{hint}; start the software of app version {chain}")


def genesis_app_version() -> int:
    """The app version a new chain starts at: this software's (it writes genesis in its own formats)."""
    return registry.software_app_version()


def genesis_version(state: StateWrite) -> None:
    """Record the software's app version in a new chain's genesis state (nothing for version 1)."""
    version = genesis_app_version()
    if version != upgrades.FIRST_APP_VERSION:
        upgrades.set_app_version(state, version)


def migrate_imported(state: StateWrite, height: int) -> list[str]:
    """Bring an imported state (``samen export`` of an older chain) to this software's app version.

    Runs, in version order, every known upgrade above the state's app version, as at an
    upgrade height (migration, app version, ``upgrade/done/NAME`` = ``height``, the new
    chain's first height), and drops a pending plan naming one of them; returns their
    names.  An export of the same version is untouched.
    """
    ran = []
    for upgrade in sorted(registry.KNOWN.values(), key=lambda u: u.app_version):
        if upgrade.app_version > upgrades.app_version(state):
            upgrade.migrate(state, height)
            upgrades.set_app_version(state, upgrade.app_version)
            upgrades.mark_applied(state, upgrade.name, height)
            ran.append(upgrade.name)
    pending = upgrades.plan(state)
    if pending is not None and pending.name in ran:   # the plan of an upgrade this import already applied
        upgrades.clear_plan(state)
    return ran
