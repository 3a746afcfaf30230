"""The stored-value codec's one decoder, built once per type, gives back every nested state value exactly."""

from __future__ import annotations

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
def test_every_nested_state_value_decodes_back_to_itself(data):
    for cls in NESTED:
        value = data.draw(st.from_type(cls), label=cls.__name__)
        raw = codec.encode_value(value)
        assert codec.decode_value(cls, raw) == value
        assert codec.from_plain(cls, codec.read_plain(raw)) == value


def test_missing_fields_decode_as_none():
    partial = {"id": 3, "milestones": [{"title": "t", "amount": 5, "status": "active"}]}
    decoded = codec.from_plain(Agreement, partial)
    assert (decoded.id, decoded.requester, decoded.milestones[0].amount, decoded.milestones[0].deadline) == (3, None, 5, None)


def test_the_decoder_of_a_type_is_built_once():
    assert codec._decoder(Agreement) is codec._decoder(Agreement)
