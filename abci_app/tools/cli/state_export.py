"""``samen export --home H --height N``: write the state at a height as genesis ``app_state``.

The output (stdout, or ``--out FILE``) is the ``app_state`` document described in
``abci_app.adapter.storage.export``; with ``--genesis TEMPLATE`` it is a whole CometBFT
``genesis.json``: the template with its ``app_state`` replaced and ``app_hash``
cleared.  A chain started from it has exactly the exported state and app hash.
Reads the node's LMDB read-only, so it can run beside a running node.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from abci_app.tools.cli.common import DEFAULT_HOME, CliError, HomeOpt, home_path, log
from abci_app.adapter.settings import Settings


def export(height: Annotated[int, typer.Option("--height", help="Committed height to export (retained heights only).")],
           home: HomeOpt = DEFAULT_HOME,
           out: Annotated[Path | None, typer.Option("--out", help="Write here instead of stdout.")] = None,
           genesis: Annotated[Path | None, typer.Option("--genesis", help="genesis.json template to fill in.")] = None,
           ) -> None:
    """Export the application state at HEIGHT as a genesis app_state."""
    from abci_app.adapter.storage.export import export_state
    from abci_app.adapter.storage.store import Store
    from abci_app.chain.state.versions import HeightNotAvailable

    settings = Settings.load(home_path(home).resolve())
    if not (settings.store_dir / "data.mdb").exists():
        raise CliError(f"no node state at {settings.store_dir}")
    store = Store(settings.store_dir, readonly=True, map_size=settings.store_map_size_gib << 30)
    try:
        app_state = export_state(store, height)
    except HeightNotAvailable as exc:
        raise CliError(exc.message) from None
    finally:
        store.close()
    doc = app_state
    if genesis is not None:
        doc = json.loads(genesis.read_text())
        doc["app_state"], doc["app_hash"] = app_state, ""
    text = json.dumps(doc, indent=1, sort_keys=True) + "\n"
    if out is None:
        typer.echo(text, nl=False)
    else:
        out.write_text(text)
        log(f"exported height {height} ({len(app_state['samen_state']['entries'])} keys) to {out}")
