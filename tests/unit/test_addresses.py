"""The address codec against the ``bech32`` reference package (BIP-173)."""

import hashlib

import bech32
import pytest
from hypothesis import given
from hypothesis import strategies as st

from abci_app.chain import addresses
from abci_app.chain.errors import InvalidAddress


def reference(raw: bytes) -> str:
    return bech32.bech32_encode("samen", bech32.convertbits(raw, 8, 5))


@given(st.binary(min_size=20, max_size=20))
def test_encoding_equals_the_reference_encoder(raw):
    assert addresses.encode(raw) == reference(raw)


@pytest.mark.parametrize("size", [0, 19, 21, 32])
def test_only_20_byte_addresses_are_encoded(size):
    with pytest.raises(ValueError, match="20 bytes"):
        addresses.encode(bytes(size))


@given(st.binary(min_size=32, max_size=32))
def test_a_public_keys_address_is_bech32_of_its_sha256_prefix(public_key):
    assert addresses.from_public_key(public_key) == reference(hashlib.sha256(public_key).digest()[:20])


@given(st.binary(min_size=20, max_size=20))
def test_every_canonical_address_validates(raw):
    assert addresses.validate(reference(raw)) == reference(raw)


@given(st.binary(min_size=20, max_size=20), st.integers(min_value=6, max_value=43),
       st.sampled_from("qpzry9x8gf2tvdw0s3jn54khce6mua7l"))
def test_any_single_changed_character_is_caught_by_the_checksum(raw, position, char):
    good = reference(raw)
    changed = good[:position] + char + good[position + 1:]
    assert addresses.is_valid(changed) == (changed == good)


@pytest.mark.parametrize("text", [
    "", "samen1", "SAMEN1" + "q" * 38, "cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",
    "samen1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqb",   # 'b' is not in the bech32 alphabet
    "samen1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq",   # wrong checksum
])
def test_malformed_addresses_are_rejected_with_a_clear_error(text):
    with pytest.raises(InvalidAddress, match="is not a samen1... bech32 address"):
        addresses.validate(text)


def test_upper_case_addresses_are_not_canonical():
    good = reference(bytes(range(20)))
    assert not addresses.is_valid(good.upper())


def test_non_strings_are_invalid():
    assert not addresses.is_valid(b"samen1")
    with pytest.raises(InvalidAddress):
        addresses.validate(None)
