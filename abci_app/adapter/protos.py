"""Load the protobuf modules generated at set-up (``scripts/gen_protos.py``).

The generated code is not in the repository.  When it is missing, importing this
module raises ``ImportError`` with one line that tells the user what to run.
Only the ABCI server (``abci_app.adapter.server``, ``.framing``, ``.responses``) imports the ABCI classes (``abci``) (an import contract checks
it, ``make check``); the transaction classes live in ``abci_app.chain.txproto`` (re-exported
here as ``samen_tx`` for tests and scripts).
"""

from __future__ import annotations

import sys
from pathlib import Path

GENERATED = Path(__file__).resolve().parents[1] / "_generated"

if not (GENERATED / "VERSION").is_file():
    raise ImportError("generated protobuf code is missing: run `make setup` (or `make run` / `make test`) first")

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))

from tendermint.abci import types_pb2 as abci  # noqa: E402

from abci_app.chain.txproto import samen_tx  # noqa: E402  (re-exported)

COMETBFT_VERSION = (GENERATED / "VERSION").read_text().strip()

__all__ = ["abci", "samen_tx", "COMETBFT_VERSION"]
