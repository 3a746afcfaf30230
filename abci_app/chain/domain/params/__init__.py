"""Chain parameters set at genesis (and later changed only by governance)."""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.chain import codec
from abci_app.chain.state.protocols import StateRead, StateWrite

PARAMS_KEY = b"params"


@dataclass(frozen=True, slots=True)
class Params:
    min_fee: int = 0                 # smallest fee a transaction may carry
    max_tx_bytes: int = 32768        # largest transaction the app accepts
    max_memo_bytes: int = 256        # largest memo or free-text field, in UTF-8 bytes
    max_text_bytes: int = 4096       # largest description-like field


def get(state: StateRead) -> Params:
    raw = state.get(PARAMS_KEY)
    if raw is None:
        return Params()
    return codec.decode_value(Params, raw)


def put(state: StateWrite, params: Params) -> None:
    state.put(PARAMS_KEY, codec.encode_value(params))
