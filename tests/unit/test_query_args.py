"""Strict parsing of client-supplied numbers, paths and keys (``abci_app.chain.query_args``), also used by the CLI."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from abci_app.tools.cli.common import CliError
from abci_app.tools.cli.orgs import number
from abci_app.chain.errors import UnknownQuery
from abci_app.chain.query_args import MAX_ID, parse_id, parse_uint, split_path, state_key


@pytest.mark.parametrize("text", ["²", "٣", "１", "1²", "-1", "+1", " 1", "1\n", "0x1", "1_000", "", "9" * 21])
def test_anything_but_plain_ascii_digits_is_not_a_number(text):
    assert parse_uint(text, 1 << 64) is None
    with pytest.raises(UnknownQuery, match="decimal number"):
        parse_id(text, "usage: /org/<id>")
    with pytest.raises(CliError, match="non-negative integer"):
        number(text, "member weight")


@given(st.integers(0, MAX_ID))
def test_every_id_up_to_the_bound_round_trips(value):
    assert parse_id(str(value), "usage") == value and parse_uint("0" + str(value), MAX_ID) == value


def test_an_id_above_two_to_the_63_is_refused():
    with pytest.raises(UnknownQuery):
        parse_id(str(MAX_ID + 1), "usage")


@given(st.text())
def test_parsing_any_text_either_answers_a_bounded_number_or_none(text):
    value = parse_uint(text, MAX_ID)
    assert value is None or (0 <= value <= MAX_ID and text.isascii() and text.isdigit())


def test_paths_are_bounded_and_free_of_control_characters():
    assert split_path("/org/1/allowances/") == ["org", "1", "allowances"]
    for bad in ["/" + "x" * 256, "/org/1\x00", "/org\t1", "/a\x85b"]:
        with pytest.raises(UnknownQuery):
            split_path(bad)


def test_state_keys_must_fit_lmdb_in_their_versioned_form():
    assert state_key(b"k" * 501) == b"k" * 501
    for bad in [b"", b"k" * 502, b"\x00" * 251, b"k" * 450 + b"\x00" * 51]:
        with pytest.raises(UnknownQuery):
            state_key(bad)
