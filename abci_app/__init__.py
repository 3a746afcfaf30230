"""Samen's node application, in three rooms; the path tells whether a change needs a chain upgrade.

* ``abci_app.chain`` -- consensus-critical: the pure, deterministic state machine (transaction
  codec, authentication, ``run_block``, the domain packages, the state overlay and tree, genesis,
  typed errors and events).  A change here can change app hashes or results: it needs a chain
  upgrade.
* ``abci_app.adapter`` -- the ABCI adapter that runs the chain inside one node: the socket server,
  ``LedgerApp`` orchestration over the LMDB store (``adapter.storage``), the query router, recheck,
  block records, protobuf loading, settings and fault injection.  Node-local: no chain upgrade.
* ``abci_app.tools`` -- what runs outside the node process: the client SDK (``tools.client``), the
  ``samen`` CLI (``tools.cli``) and node supervision (``tools.node``).

``python -m abci_app --home DIR`` (``abci_app/__main__.py``) is the node's composition root.
The map and the rules: ``docs/architecture.md``.
"""
