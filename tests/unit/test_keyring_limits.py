"""Keyring hardening: scrypt cost of new keys, bounded KDF parameters from files, strict names,
a minimum passphrase length.  The bounds are checked before any key derivation, so a crafted
file is refused at once instead of costing gigabytes of memory."""

from __future__ import annotations

import pytest

from abci_app.tools.client import keyring
from abci_app.tools.client.keyring import Keyring, KeyringError, check_name, seal, unseal
from abci_app.tools.client.signer import Signer

SIGNER = Signer(bytes(range(32)))
PASSPHRASE = "correct horse"


@pytest.fixture(scope="module")
def sealed() -> dict:
    return seal("alice", SIGNER, PASSPHRASE)


def test_new_keys_use_scrypt_n_2_17_and_unseal_with_their_passphrase(sealed):
    assert (sealed["kdf"]["n"], sealed["kdf"]["r"], sealed["kdf"]["p"]) == (1 << 17, 8, 1)
    assert unseal(sealed, PASSPHRASE).address == SIGNER.address


def test_a_key_sealed_with_the_old_cost_still_unseals(monkeypatch):
    monkeypatch.setattr(keyring, "SCRYPT_N", 1 << 15)
    old = seal("bob", SIGNER, PASSPHRASE)
    monkeypatch.undo()
    assert old["kdf"]["n"] == 1 << 15 and unseal(old, PASSPHRASE).address == SIGNER.address


@pytest.mark.parametrize("passphrase", ["", "1234567"])
def test_a_passphrase_shorter_than_eight_characters_is_refused(passphrase):
    with pytest.raises(KeyringError, match="at least 8"):
        seal("alice", SIGNER, passphrase)


@pytest.mark.parametrize("name", ["alice\n", "\nalice", "al ice", "", ".alice", "a" * 65, "ä"])
def test_key_names_must_match_the_pattern_exactly(name):
    with pytest.raises(KeyringError, match="invalid key name"):
        check_name(name)


def test_a_trailing_newline_cannot_reach_the_file_system(tmp_path):
    with pytest.raises(KeyringError):
        Keyring(tmp_path / "kr").path("alice\n")


@pytest.mark.parametrize("kdf, cipher", [
    ({"n": 1 << 30}, {}), ({"n": 1 << 21}, {}), ({"n": (1 << 17) + 1}, {}), ({"n": 1 << 13}, {}),
    ({"n": "131072"}, {}), ({"n": True}, {}), ({"r": 1000}, {}), ({"r": 0}, {}), ({"p": 100}, {}),
    ({"n": 1 << 20, "r": 16}, {}), ({"salt": "00" * 8}, {}), ({"salt": "00" * 65}, {}),
    ({}, {"nonce": "00" * 11}), ({}, {"ciphertext": "00" * 10}),
], ids=["n 2^30", "n 2^21", "n not a power of two", "n 2^13", "n as text", "n as bool", "r 1000", "r 0",
        "p 100", "2 GiB", "short salt", "long salt", "short nonce", "short ciphertext"])
def test_kdf_parameters_out_of_bounds_in_a_file_are_refused_before_any_derivation(sealed, kdf, cipher,
                                                                                 monkeypatch):
    def no_derivation(*_args):
        raise AssertionError("scrypt ran on parameters out of bounds")

    monkeypatch.setattr(keyring, "_kdf", no_derivation)
    doc = {**sealed, "kdf": {**sealed["kdf"], **kdf}, "cipher": {**sealed["cipher"], **cipher}}
    with pytest.raises(KeyringError, match="unsupported scrypt|damaged key"):
        unseal(doc, PASSPHRASE)
