"""Following a changing validator set, on a synthetic chain built and signed here (real ed25519, real hashing)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from abci_app.tools.client import cometbft_types as ct
from abci_app.tools.client.trust import Trust, TrustedState, validator_set_hash
from abci_app.tools.client.verify import Validator, VerificationError, address_of

CHAIN = "synthetic"


def key(label: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(hashlib.sha256(label.encode()).digest())


def validator(private: Ed25519PrivateKey, power: int = 10) -> Validator:
    pub = private.public_key().public_bytes_raw()
    return Validator(address_of(pub), pub, power)


class SyntheticChain:
    """Headers 1..top whose validator set at height h is ``sets[h]`` (lists of private keys), each
    commit signed by every member; ``signed_header``/``validators`` answer like the RPC does."""

    def __init__(self, sets: dict[int, list[Ed25519PrivateKey]], top: int, chain_id: str = CHAIN) -> None:
        self.sets, self.top, self.chain_id = sets, top, chain_id
        self.calls = 0
        self.headers: dict[int, dict] = {}
        previous = {"hash": "", "parts": {"total": 0, "hash": ""}}
        for height in range(1, top + 1):
            signed = self._signed(height, previous)
            self.headers[height] = signed
            previous = signed["commit"]["block_id"]

    def set_at(self, height: int) -> tuple[Validator, ...]:
        return tuple(validator(k) for k in self.sets[max(h for h in self.sets if h <= height)])

    def _signed(self, height: int, previous: dict) -> dict:
        time = f"2026-01-01T00:{height // 60:02d}:{height % 60:02d}.5Z"
        header = {"version": {"block": "11", "app": "1"}, "chain_id": self.chain_id, "height": str(height),
                  "time": time, "last_block_id": previous,
                  "validators_hash": validator_set_hash(self.set_at(height)).hex().upper(),
                  "next_validators_hash": validator_set_hash(self.set_at(height + 1)).hex().upper(),
                  "app_hash": hashlib.sha256(b"%d" % height).hexdigest().upper()}
        block_id = {"hash": ct.header_hash(header).hex().upper(), "parts": {"total": 1, "hash": "AB" * 32}}
        keys = self.sets[max(h for h in self.sets if h <= height)]
        signatures = [{"block_id_flag": 2, "validator_address": validator(k).address.hex().upper(), "timestamp": time,
                       "signature": base64.b64encode(k.sign(ct.vote_sign_bytes(self.chain_id, height, 0, block_id,
                                                                                time))).decode()} for k in keys]
        return {"header": header, "commit": {"height": str(height), "round": 0, "block_id": block_id,
                                             "signatures": signatures}}

    def signed_header(self, height: int) -> dict:
        self.calls += 1
        if height > self.top:
            raise LookupError(height)
        return self.headers[height]

    def validators(self, height: int) -> tuple[Validator, ...]:
        return self.set_at(height)


ORIGINAL = [key(f"v{i}") for i in range(4)]


def rotating_chain(top: int = 40) -> SyntheticChain:
    """One validator of four replaced every 5 heights: by height 25 none of the genesis keys is left."""
    sets, current = {1: list(ORIGINAL)}, list(ORIGINAL)
    for step in range(1, 7):
        current = current[1:] + [key(f"new{step}")]
        sets[5 * step + 1] = list(current)
    return SyntheticChain(sets, top)


def genesis_trust(chain) -> Trust:
    return Trust(chain, CHAIN, TrustedState(0, (), tuple(validator(k) for k in ORIGINAL)))


def test_a_constant_set_is_trusted_at_a_far_height_in_one_skipping_step():
    chain = SyntheticChain({1: ORIGINAL}, 50)
    trust = genesis_trust(chain)
    assert trust.validators_at(45) == chain.set_at(45)
    assert chain.calls == 1


def test_a_fully_rotated_set_is_reached_from_genesis_by_bisection_through_the_changes():
    chain = rotating_chain()
    trust = genesis_trust(chain)
    assert not set(trust.validators_at(38)) & set(chain.set_at(1))
    assert trust.validators_at(38) == chain.set_at(38) and trust.state.height == 38
    assert 2 < chain.calls < 38   # neither one jump (not enough trust) nor every height


def test_a_trusted_height_and_hash_start_the_walk_there():
    chain = rotating_chain()
    start = chain.headers[20]["commit"]["block_id"]["hash"]
    trust = Trust.from_header(chain, 20, start)
    assert trust.state.validators == chain.set_at(20) and trust.validators_at(33) == chain.set_at(33)
    with pytest.raises(VerificationError, match="does not have the trusted hash"):
        Trust.from_header(chain, 20, "00" * 32)
    with pytest.raises(VerificationError, match="before the trusted height"):
        trust.validators_at(19)


def test_a_forged_chain_signed_by_unknown_keys_is_refused_however_consistent_it_is():
    attackers = [key(f"attacker{i}") for i in range(4)]
    honest = SyntheticChain({1: ORIGINAL}, 30)
    forged = SyntheticChain({1: ORIGINAL, 11: attackers}, 30)
    for height in range(1, 11):   # the attacker cannot re-sign the real headers, which name the real next set
        forged.headers[height] = honest.headers[height]
    with pytest.raises(VerificationError, match="validator set the node reports for height 11 does not match "
                                                "next_validators_hash of header 10"):
        genesis_trust(forged).validators_at(25)
    adjacent = Trust(forged, CHAIN, TrustedState(10, forged.set_at(10), tuple(validator(k) for k in ORIGINAL)))
    with pytest.raises(VerificationError, match="header 11 names another validator set"):
        adjacent.validators_at(11)


def test_a_node_reporting_another_validator_set_than_the_header_names_is_refused():
    chain = rotating_chain()
    honest = chain.validators
    chain.validators = lambda height: honest(height)[:3] if height == 16 else honest(height)
    with pytest.raises(VerificationError, match="validator set the node reports for height 16 does not match"):
        genesis_trust(chain).validators_at(16)


def test_a_commit_signed_for_another_chain_id_is_refused():
    chain = SyntheticChain({1: ORIGINAL}, 10, chain_id="other")
    with pytest.raises(VerificationError, match="expected 'synthetic'"):
        genesis_trust(chain).validators_at(5)


def test_the_validator_set_hash_matches_the_recorded_header_of_a_real_node():
    from tests.state.test_verify_vectors import VALIDATORS, VECTOR

    header = VECTOR["inclusion"]["signed_header"]["header"]
    assert validator_set_hash(VALIDATORS).hex().upper() == header["validators_hash"]
