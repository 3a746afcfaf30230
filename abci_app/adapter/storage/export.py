"""Export the state at a height as a genesis ``app_state``, and import it into a new chain.

Export format (the whole ``app_state`` of the new chain's ``genesis.json``)::

    {"samen_state": {"format": 1,
                     "height": H,              # the exported height of the source chain
                     "chain_id": "...",        # the source chain
                     "app_hash": "<hex>",      # the source app hash at H
                     "entries": [["<key hex>", "<value hex>"], ...]}}   # every state key, key order

The entries are the raw state, so the import writes exactly the same keys and
values and the new chain's genesis app hash equals the source app hash at H (the
tree root depends only on the state).  The import checks this and refuses an
export whose entries do not hash to its ``app_hash`` (truncated or edited file).
"""

from __future__ import annotations

import json

from abci_app.chain import apphash
from abci_app.adapter.storage.store import Store

SECTION = "samen_state"
FORMAT = 1


class ExportFormatError(ValueError):
    """An exported state document is malformed or does not match its app hash."""


def export_state(store: Store, height: int) -> dict:
    """Return the ``app_state`` document holding the whole state committed at ``height``."""
    txn = store.read_txn()
    try:
        state = store.state_at(txn, height)
        root = store.root_at(txn, height)
        entries = [[key.hex(), bytes(value).hex()] for key, value in state.iter_prefix(b"")]
        chain_id = store.committed(txn).chain_id
    finally:
        txn.abort()
    app_hash = root.hash if root is not None else bytes(32)
    return {SECTION: {"format": FORMAT, "height": height, "chain_id": chain_id,
                      "app_hash": app_hash.hex(), "entries": entries}}


def load(app_state: bytes) -> dict | None:
    """Return the export section if ``app_state`` is an export, else ``None`` (a normal genesis)."""
    if not app_state.strip():
        return None
    try:
        doc = json.loads(app_state)
    except ValueError:
        return None   # genesis.load reports the JSON error
    if not isinstance(doc, dict) or SECTION not in doc:
        return None
    if set(doc) != {SECTION}:
        raise ExportFormatError(f"an exported state must be the only app_state section, found {sorted(doc)}")
    return doc[SECTION]


def import_state(state, section: dict) -> None:
    """Write the exported entries into ``state`` (an overlay) after checking their app hash."""
    if not isinstance(section, dict) or section.get("format") != FORMAT:
        raise ExportFormatError(f"unsupported export format {section.get('format') if isinstance(section, dict) else None!r}")
    try:
        writes = [(bytes.fromhex(k), bytes.fromhex(v)) for k, v in section["entries"]]
        expected = bytes.fromhex(section["app_hash"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ExportFormatError(f"malformed export: {exc}") from None
    if apphash.app_hash(apphash.genesis_tree(writes)) != expected:
        raise ExportFormatError("exported entries do not hash to the exported app hash")
    for key, value in writes:
        state.put(key, value)
