"""Run the ABCI application of one node: ``python -m abci_app --home DIR``.

The composition root: settings -> LMDB store -> LedgerApp -> ABCI server.
"""

from __future__ import annotations

import argparse
import importlib
import asyncio
import os
import sys
from pathlib import Path


def load_upgrade_plugins(spec: str) -> list[str]:
    """Import the comma-separated modules of ``spec`` (each calls ``upgrades.registry.register``); return their names.

    Here, in the composition root, so the core never imports code by name at run time.
    """
    names = [name.strip() for name in spec.split(",") if name.strip()]
    for name in names:
        importlib.import_module(name)
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m abci_app", description="Samen ABCI application")
    parser.add_argument("--home", required=True, type=Path, help="node home directory")
    args = parser.parse_args(argv)
    try:
        from abci_app.adapter.app import LedgerApp
        from abci_app.chain.domain.upgrades.registry import UpgradeHalt
        from abci_app.adapter.faults import FailPoint
        from abci_app.adapter.logs import configure as configure_logs
        from abci_app.adapter.server import AbciServer
        from abci_app.adapter.settings import Settings
        from abci_app.adapter.storage.restore import Limits
        from abci_app.adapter.storage.store import Store
        from abci_app.adapter.records_retention import RecordPruner
        from abci_app.adapter.retention import Retention, evidence_age_blocks

        settings = Settings.load(args.home.resolve())
        fail_point = FailPoint.parse(os.environ.get("SAMEN_FAIL_POINT"))
        snapshots = _snapshots(settings)
        load_upgrade_plugins(os.environ.get("SAMEN_UPGRADE_PLUGINS", ""))   # docs/upgrades.md "Test builds"
        record_pruner = RecordPruner(settings.records_retain_blocks, settings.records_prune_heights)
    except (ImportError, ValueError, OSError) as exc:
        print(f"samen-abci: {exc}", file=sys.stderr)
        return 2
    configure_logs("abci", settings.log_level, settings.log_format)
    retention = Retention(settings.store_retain_blocks,
                          evidence_age_blocks(settings.home / "config" / "genesis.json"))
    store = Store(settings.store_dir, map_size=settings.store_map_size_gib << 30,
                  retain_heights=retention.versions_kept(settings.store_retain_heights))
    limits = Limits(settings.snapshot_restore_max_chunks, settings.snapshot_restore_max_entries)
    app = LedgerApp(store, fail_point, snapshots, _genesis_chain_id(settings.home), limits, retention,
                    record_pruner)
    try:
        problem = app.startup_problem()
        if problem is not None:
            raise problem
        asyncio.run(AbciServer(app, _metrics(settings, store), settings.abci_verify_workers).serve(settings.abci))
    except UpgradeHalt as halt:
        return _halted(settings.home, halt)
    except KeyboardInterrupt:
        pass
    finally:
        store.close()
    return 0


def _metrics(settings, store):
    """The app's Prometheus metrics, served on ``[metrics]`` host:port (``port = 0``: none)."""
    from abci_app.adapter.metrics import AppMetrics

    if not settings.metrics_port:
        return None
    metrics = AppMetrics(store)
    metrics.serve(settings.metrics_host, settings.metrics_port)
    return metrics


def _halted(home: Path, halt: Exception) -> int:
    """Print the one line, write ``data/upgrade-info.json`` for an upgrade (``adapter.upgrade_info``); exit 3."""
    from abci_app.adapter import upgrade_info

    print(f"samen: {halt}", file=sys.stderr, flush=True)
    upgrade_info.write(home, halt)
    return upgrade_info.EXIT_CODE


def _snapshots(settings):
    """The node's state-sync snapshots.  Test faults: ``SAMEN_FAULT_CORRUPT_CHUNKS=1`` serves them with a
    flipped byte; ``SAMEN_FAULT_BAD_SNAPSHOTS=1`` advertises malformed ones (``state.snapshot_faults``)."""
    from abci_app.adapter.storage.snapshot_faults import BadSnapshotStore
    from abci_app.adapter.storage.snapshots import SnapshotStore

    kind = BadSnapshotStore if os.environ.get("SAMEN_FAULT_BAD_SNAPSHOTS") == "1" else SnapshotStore
    return kind(settings.snapshot_dir, settings.snapshot_interval, settings.snapshot_keep_recent,
                settings.snapshot_chunk_bytes, os.environ.get("SAMEN_FAULT_CORRUPT_CHUNKS") == "1")


def _genesis_chain_id(home: Path) -> str:
    """The chain id of the home's genesis, which a state-sync snapshot must match ("" if none)."""
    from abci_app.tools.node.home import chain_id

    try:
        return chain_id(home)
    except (OSError, ValueError, KeyError):
        return ""


if __name__ == "__main__":
    sys.exit(main())
