"""The codec's exact text encoder (frozen dataclasses of ints, strings, tuples, enums, ...) writes the generic bytes."""

from __future__ import annotations

import enum
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abci_app.chain import codec, codec_text
from abci_app.chain.domain.friction.state import BUCKETS, Aggregate, AgreementFigures
from abci_app.chain.domain.reputation.state import Counts, Reputation

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_stored_vectors", REPO / "scripts" / "make_stored_vectors.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)
TYPES = make.record_types()


def generic_encode(obj) -> bytes:
    return json.dumps(codec._plain(obj), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def test_the_friction_and_reputation_records_take_the_exact_text_path():
    for cls in (Aggregate, AgreementFigures, Reputation, Counts):
        assert codec_text.text_encoder(cls) is not None, cls


COVERED = sorted(name for name, cls in TYPES.items() if codec_text.text_encoder(cls) is not None)
UNCOVERED = sorted(set(TYPES) - set(COVERED))


def test_the_records_it_does_not_cover_are_proposals_and_the_block_and_tx_records_which_encode_generically():
    assert [name.rsplit(".", 1)[1] for name in UNCOVERED] == ["BlockRecord", "TxRecord", "Proposal"]
    for name in UNCOVERED:
        value = make.sample(TYPES[name], 1)
        assert codec.encode_value(value) == generic_encode(value)


@pytest.mark.parametrize("name", COVERED)
def test_every_stored_record_type_it_covers_is_written_exactly_as_the_generic_encoder_writes_it(name):
    text = codec_text.text_encoder(TYPES[name])
    assert text is not None
    for salt in (1, 2, 3):
        value = make.sample(TYPES[name], salt)
        assert text(value).encode() == generic_encode(value) == codec.encode_value(value)


counts = st.integers(-(10**30), 10**30)
texts = st.text(max_size=20)   # any code point: quotes, backslashes, control characters, non-ASCII
histograms = st.tuples(*[st.integers(0, 10**12)] * (len(BUCKETS) + 1))


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=9, max_size=9), st.lists(histograms, min_size=4, max_size=4))
def test_an_aggregate_is_written_as_the_generic_encoder_writes_it_and_read_back_equal(ints, hists):
    value = Aggregate(*ints, *hists)
    raw = codec.encode_value(value)
    assert raw == generic_encode(value)
    assert codec.decode_value(Aggregate, raw) == codec.from_plain(Aggregate, json.loads(raw)) == value


@settings(max_examples=300, deadline=None)
@given(texts, texts, st.lists(texts, max_size=4), st.lists(counts, min_size=9, max_size=9), texts,
       st.lists(st.booleans(), min_size=3, max_size=3))
def test_agreement_figures_with_any_strings_are_written_as_the_generic_encoder_writes_them(a, b, tags, ints, outcome, flags):
    value = AgreementFigures(ints[0], a, b, tuple(tags), *ints[1:], outcome, *flags)
    raw = codec.encode_value(value)
    assert raw == generic_encode(value)
    assert codec.from_plain(AgreementFigures, json.loads(raw)) == value


class Colour(enum.Enum):
    RED = "red"
    BLUE = 2


# One field of each kind the exact encoder covers beside ints and strings.
@dataclass(frozen=True, slots=True)
class Holder:
    colour: Colour
    blob: bytes
    flags: tuple[bool, ...]
    inner: Counts
    inners: tuple[Counts, ...]


def test_enums_bytes_and_nested_records_are_written_as_the_generic_encoder_writes_them():
    for colour in Colour:
        value = Holder(colour, b"\x00\xff", (True, False), Counts(1, 2), (Counts(3), Counts(rating_sum=4)))
        assert codec.encode_value(value) == generic_encode(value)
        assert codec.decode_value(Holder, codec.encode_value(value)) == value


@pytest.mark.parametrize("value", [
    Aggregate(agreements=True),                      # a bool where an int is hinted: JSON true
    Aggregate(to_agreement=[0] * 17),                # a list where a tuple is hinted
    Aggregate(to_delivery=(True,) + (0,) * 16),      # a bool inside an int histogram
    Aggregate(value=None),                           # null
    Reputation(Counts(on_time=True)),                # a bool inside a nested record
    Holder(Colour.RED, b"x", (1,), Counts(), ()),        # an int in a tuple of bools
])
def test_a_value_whose_types_differ_from_its_hints_gets_the_generic_bytes_and_is_not_remembered(value):
    codec._RECENT.clear()
    assert codec.encode_value(value) == generic_encode(value)
    assert not codec._RECENT


def test_a_written_record_is_read_back_without_decoding_as_the_same_value():
    codec._RECENT.clear()
    value = Reputation(Counts(completed_as_provider=1, rating_sum=5), score=15_000, score_time=7)
    raw = codec.encode_value(value)
    assert codec.decode_value(Reputation, raw) is value
    codec._RECENT.clear()
    assert codec.decode_value(Reputation, raw) == value


def test_a_float_in_a_covered_record_is_still_refused():
    with pytest.raises(TypeError):
        codec.encode_value(Aggregate(value=1.5))
