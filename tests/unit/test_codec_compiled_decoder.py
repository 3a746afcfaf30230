"""Decoding nested state values through the once-built decoders gives exactly the generic ``_typed`` result."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from abci_app.chain import codec
from abci_app.chain.domain.agreements.state import Agreement, Milestone, Rating
from abci_app.chain.domain.friction.state import Aggregate, AgreementFigures
from abci_app.chain.domain.market.state import Offer, Request, StandingOffer
from abci_app.adapter.records import BlockRecord, TxRecord

NESTED = (Agreement, Milestone, Rating, Aggregate, AgreementFigures, Offer, Request, StandingOffer, BlockRecord,
          TxRecord)


@settings(max_examples=25, deadline=None)
@given(st.data())
def test_every_nested_state_value_decodes_as_the_generic_walk_does(data):
    for cls in NESTED:
        value = data.draw(st.from_type(cls), label=cls.__name__)
        raw = codec.encode_value(value)
        assert codec.decode_value(cls, raw) == codec._typed(cls, json.loads(raw)) == value
        assert codec.from_plain(cls, codec.read_plain(raw)) == value


def test_missing_fields_decode_as_none_like_the_generic_walk():
    partial = {"id": 3, "milestones": [{"title": "t", "amount": 5, "status": "active"}]}
    assert codec._decoder(Agreement)(partial) == codec._typed(Agreement, partial)


def test_the_decoder_of_a_type_is_built_once():
    assert codec._decoder(Agreement) is codec._decoder(Agreement)
