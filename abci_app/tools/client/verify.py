"""Verify a node's answer against what the validators signed, trusting no server.

Steps (``docs/proofs.md`` section 4), for an ABCI query answered at height H:

1. the ``samen:smt`` proof in the answer must prove the answer's key and value
   (or the key's absence) under some root R;
2. R must be the ``app_hash`` of the header of block H+1;
3. that header's hash must be the ``block_id`` its commit signs, for the expected
   chain id and height;
4. the commit must carry valid ed25519 signatures (over CometBFT v0.38 canonical
   precommit sign bytes) from validators of the *trusted* set holding more than
   2/3 of its voting power.  A bad signature from a trusted validator is an error.

The trusted validator set of H+1 comes from ``abci_app.tools.client.trust`` (following the
chain's validator changes from genesis or from a height and hash the user trusts,
each reported set checked against hashes already trusted) or is given as a fixed
tuple; the node's word alone never decides which validators to trust.  Every failure
raises ``VerificationError`` whose message names the failed step.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from abci_app.tools.client import cometbft_types as ct
from abci_app.chain.state import proofs
from abci_app.chain.state.proofs import PROOF_OP_TYPE, ProofError


class VerificationError(Exception):
    """An answer, proof, header or commit failed verification; the message says why."""


@dataclass(frozen=True, slots=True)
class Validator:
    address: bytes    # first 20 bytes of SHA-256(pub_key)
    pub_key: bytes    # ed25519, 32 bytes
    power: int


@dataclass(frozen=True, slots=True)
class VerifiedAnswer:
    height: int
    key: bytes
    value: bytes | None    # None: the key is proven absent
    app_hash: bytes


def validators_from_genesis(genesis: dict) -> tuple[Validator, ...]:
    """Return the validator set of a CometBFT ``genesis.json`` document."""
    out = []
    for entry in genesis.get("validators", []):
        if entry["pub_key"]["type"] != "tendermint/PubKeyEd25519":
            raise VerificationError(f"unsupported validator key type {entry['pub_key']['type']}")
        pub_key = ct.b64(entry["pub_key"]["value"])
        out.append(Validator(address_of(pub_key), pub_key, int(entry["power"])))
    return tuple(out)


def address_of(pub_key: bytes) -> bytes:
    return hashlib.sha256(pub_key).digest()[:20]


def verify_signed_header(signed_header: dict, chain_id: str, height: int,
                         validators: tuple[Validator, ...]) -> bytes:
    """Check a ``/commit`` result's signed header for ``height``; return its ``app_hash``."""
    header, commit = signed_header["header"], signed_header["commit"]
    if header.get("chain_id") != chain_id:
        raise VerificationError(f"header is for chain {header.get('chain_id')!r}, expected {chain_id!r}")
    if int(header["height"]) != height or int(commit["height"]) != height:
        raise VerificationError(f"header or commit is for height {header['height']}, expected {height}")
    if ct.header_hash(header) != bytes.fromhex(commit["block_id"]["hash"]):
        raise VerificationError("header hash does not match the block id the commit signs (altered header)")
    _check_signatures(commit, chain_id, height, validators)
    return bytes.fromhex(header["app_hash"])


def _check_signatures(commit: dict, chain_id: str, height: int, validators: tuple[Validator, ...]) -> None:
    signed, total = signed_power(commit, chain_id, height, validators)
    if total <= 0 or 3 * signed <= 2 * total:
        raise VerificationError(f"insufficient voting power: trusted validators with {signed} of {total} "
                                f"signed, more than 2/3 is required")


def signed_power(commit: dict, chain_id: str, height: int, validators: tuple[Validator, ...]) -> tuple[int, int]:
    """Return ``(power of validators in the set with a valid commit signature, the set's total power)``.

    A signature from a validator of the set that does not verify is an error.
    """
    by_address = {v.address: v for v in validators}
    total = sum(v.power for v in validators)
    signed, counted = 0, set()
    for sig in commit.get("signatures", []):
        if int(sig.get("block_id_flag", 0)) != ct.FLAG_COMMIT:
            continue
        validator = by_address.get(bytes.fromhex(sig.get("validator_address", "")))
        if validator is None or validator.address in counted:
            continue
        message = ct.vote_sign_bytes(chain_id, height, int(commit.get("round", 0)), commit["block_id"],
                                     sig["timestamp"])
        try:
            Ed25519PublicKey.from_public_bytes(validator.pub_key).verify(ct.b64(sig.get("signature")), message)
        except (InvalidSignature, ValueError):
            raise VerificationError(f"invalid commit signature from validator {validator.address.hex()}") from None
        counted.add(validator.address)
        signed += validator.power
    return signed, total


def verify_answer(response: dict, signed_header: dict, chain_id: str,
                  validators: tuple[Validator, ...]) -> VerifiedAnswer:
    """Verify an ``abci_query`` response (RPC JSON, asked with ``prove=true``) and the
    ``signed_header`` of the block after the answer's height."""
    height = int(response.get("height", 0))
    if height <= 0:
        raise VerificationError("the answer does not say which height it is for")
    ops = (response.get("proofOps") or response.get("proof_ops") or {}).get("ops") or []
    ops = [op for op in ops if op.get("type") == PROOF_OP_TYPE]
    if len(ops) != 1:
        raise VerificationError(f"the answer carries no single {PROOF_OP_TYPE} proof")
    key = ct.b64(ops[0].get("key"))
    if key != ct.b64(response.get("key")):
        raise VerificationError("the proof is for another key than the answer")
    value = ct.b64(response.get("value")) if int(response.get("code", 0)) == 0 else None
    app_hash = verify_signed_header(signed_header, chain_id, height + 1, validators)
    try:
        proofs.verify(app_hash, key, value, ct.b64(ops[0].get("data")))
    except ProofError as exc:
        raise VerificationError(f"proof check failed at height {height}: {exc}") from None
    return VerifiedAnswer(height, key, value, app_hash)


class Verifier:
    """Ask a (possibly untrusted) node and verify its answers against trusted validators.

    ``trust`` is an ``abci_app.tools.client.trust.Trust`` (follows the chain's validator
    changes from genesis or a trusted header), or a fixed tuple of validators
    trusted at every height.
    """

    def __init__(self, rpc, chain_id: str, trust, wait_seconds: float = 30.0) -> None:
        self.rpc = rpc
        self.chain_id = chain_id
        self.trust = trust
        self.wait_seconds = wait_seconds

    def query(self, path: str, data: bytes = b"", height: int = 0) -> VerifiedAnswer:
        """Run ``abci_query`` with ``prove=true`` and verify the answer (waits, bounded, for block H+1)."""
        response = self.raw_query(path, data, height)
        if int(response.get("height", 0)) <= 0:
            raise VerificationError(f"the node answered without a height: {response.get('log') or 'no log'}")
        answered = int(response.get("height", 0))
        header = self.signed_header(answered + 1)
        return verify_answer(response, header, self.chain_id, self._validators(answered + 1))

    def _validators(self, height: int) -> tuple[Validator, ...]:
        if isinstance(self.trust, tuple):
            return self.trust
        return self.trust.validators_at(height)

    def raw_query(self, path: str, data: bytes = b"", height: int = 0) -> dict:
        return self.rpc.call("abci_query", path=path, data=data.hex(), height=str(height), prove=True)["response"]

    def signed_header(self, height: int) -> dict:
        self.rpc.wait_for_height(height, timeout=self.wait_seconds)
        return self.rpc.call("commit", height=str(height))["signed_header"]
