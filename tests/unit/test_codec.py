"""The stored-value codec against its golden vectors (``docs/stored-value-vectors.json``), both ways.

Every record type the code decodes from the store has a vector: its sample encodes to
exactly the committed bytes, and those bytes decode to exactly the sample.  A change to
how state values are written (which would change app hashes) fails here first.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from abci_app.chain import codec
from abci_app.chain.context import Action
from abci_app.chain.domain.accounts.state import Account

REPO = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("make_stored_vectors", REPO / "scripts" / "make_stored_vectors.py")
make = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make)

VECTORS: dict[str, str] = json.loads((REPO / "docs" / "stored-value-vectors.json").read_text(encoding="utf-8"))["vectors"]
TYPES = make.record_types()


def test_every_record_type_the_code_decodes_has_a_vector_and_every_vector_a_type():
    assert sorted(VECTORS) == sorted(TYPES), "run python scripts/make_stored_vectors.py and review the diff"


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_the_sample_encodes_to_exactly_the_committed_bytes(name):
    assert codec.encode_value(make.sample(TYPES[name])) == VECTORS[name].encode("utf-8")


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_the_committed_bytes_decode_to_exactly_the_sample(name):
    raw = VECTORS[name].encode("utf-8")
    assert codec.decode_value(TYPES[name], raw) == make.sample(TYPES[name])
    assert codec.from_plain(TYPES[name], codec.read_plain(raw)) == make.sample(TYPES[name])


def test_a_stored_action_is_its_oneof_field_and_its_message():
    proposal = make.sample(TYPES["abci_app.chain.domain.proposals.state.Proposal"])
    doc = codec.read_plain(codec.encode_value(proposal))
    assert doc["actions"][0] == {"kind": "transfer", "msg": codec.read_plain(codec.encode_value(proposal.actions[0]))}
    assert codec.from_plain(Action, doc["actions"][0]) == proposal.actions[0]


def test_floats_are_refused_in_state():
    with pytest.raises(TypeError, match="floats"):
        codec.encode_value(Account(1.5, 0))
