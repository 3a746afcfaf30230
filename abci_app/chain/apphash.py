"""The app-hash rule, in one place: the app hash of height H is the root hash of the
state tree (``abci_app.chain.state.smt``) after block H's writes.

* Genesis: the tree of the genesis writes (nodes at version 0); its root is the
  initial app hash InitChain returns.
* Block H: the committed tree updated with the block's sorted write set (new nodes
  at version H).  A block whose writes change no value leaves the root, and so the
  app hash, unchanged, so an idle chain can rest (``create_empty_blocks = false``).
* The empty state hashes to 32 zero bytes.

The update is pure: it reads committed nodes through a read transaction and returns
the new nodes in memory (``smt.Batch``); Commit persists them with the state.
``docs/proofs.md`` documents the hashing so other languages can verify proofs.
"""

from __future__ import annotations

from abci_app.chain.state import smt, smt_update
from abci_app.chain.state.protocols import DictState

GENESIS_VERSION = 0


def genesis_tree(write_set: list[tuple[bytes, bytes | None]]) -> smt.Batch:
    """Return the tree batch holding exactly the genesis writes."""
    return smt_update.update(DictState(), None, write_set, GENESIS_VERSION)


def next_tree(nodes: smt.NodeRead, root: smt.Ref | None, write_set: list[tuple[bytes, bytes | None]],
              height: int) -> smt.Batch:
    """Return the tree batch after applying block ``height``'s write set to ``root``."""
    return smt_update.update(nodes, root, write_set, height)


def app_hash(tree: smt.Batch) -> bytes:
    return tree.root_hash
