"""The transaction format's generated protobuf classes (``proto/samen/v1/tx.proto``), and nothing else.

The core's codec needs only these; CometBFT's ABCI classes load in ``abci_app.adapter.protos``,
for the server alone.  The generated code is not in the repository (``scripts/gen_protos.py``
writes it at set-up); when it is missing, importing this module raises ``ImportError`` with one
line that tells the user what to run.  ``tx_pb2`` imports only the protobuf runtime, so it is
loaded by its package path without touching ``sys.path``.
"""

from __future__ import annotations

try:
    from abci_app._generated.samen.v1 import tx_pb2 as samen_tx
except ModuleNotFoundError:   # pragma: no cover - a set-up problem, not a code path
    raise ImportError("generated protobuf code is missing: run `make setup` (or `make run` / `make test`) first") from None

__all__ = ["samen_tx"]
