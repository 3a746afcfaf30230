"""Load the protobuf modules generated at set-up (``scripts/gen_protos.py``).

The generated code is not in the repository.  When it is missing, importing this
module raises ``ImportError`` with one line that tells the user what to run.
Only ``abci_app.adapter.server`` imports the ABCI classes (``abci``); the transaction
classes (``samen_tx``) are used by ``abci_app.chain.codec`` and clients.
"""

from __future__ import annotations

import sys
from pathlib import Path

GENERATED = Path(__file__).resolve().parents[1] / "_generated"

if not (GENERATED / "VERSION").is_file():
    raise ImportError("generated protobuf code is missing: run `make setup` (or `make run` / `make test`) first")

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

from samen.v1 import tx_pb2 as samen_tx  # noqa: E402
from tendermint.abci import types_pb2 as abci  # noqa: E402

COMETBFT_VERSION = (GENERATED / "VERSION").read_text().strip()

__all__ = ["abci", "samen_tx", "COMETBFT_VERSION"]
