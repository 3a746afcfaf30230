"""Which validators to trust at a height: follow the chain's validator changes from a trusted start.

The trusted state is ``(height h, V_h, N)``: header ``h`` was verified, ``V_h`` signed
it, and ``N`` is the exact validator set that must sign header ``h+1`` (checked
against header ``h``'s ``next_validators_hash``).  It starts from

* genesis: ``h = 0``, ``N`` = the genesis validators (they sign height 1); or
* a height and header hash the user trusts: the node's header at that height must
  hash to it; its validator sets are checked against the header's hashes.

To reach a target height ``t`` the verifier takes steps (``docs/proofs.md`` §4):

* adjacent (``t = h+1``): header ``t`` must name ``N`` (``validators_hash``) and its
  commit must be signed by more than 2/3 of ``N``'s power;
* skipping (``t > h+1``): header ``t``'s commit must be signed by more than 2/3 of
  the power of ``V_t`` (the set the node reports for ``t``, checked against
  ``validators_hash``) AND by more than 2/3 of the power of the trusted ``N``.
  When the trusted set no longer holds 2/3 the step is refused and the verifier
  bisects: it first reaches the midpoint, and so on down to adjacent steps.

After each step the node's set for ``t+1`` is checked against header ``t``'s
``next_validators_hash`` and becomes the new ``N``.  The node is only asked for
data; everything it returns is checked against hashes already trusted.  No
trusting period is enforced (the client has no clock in this model): a trusted
start should be recent relative to the unbonding of old validators.
"""

from __future__ import annotations

from dataclasses import dataclass

from abci_app.tools.client import cometbft_types as ct
from abci_app.tools.client.verify import (Validator, VerificationError, address_of, signed_power, validators_from_genesis,
                                    verify_signed_header)

PER_PAGE = 100


class NotEnoughTrust(VerificationError):
    """A skipping step where the trusted set holds 2/3 or less of the commit's power."""


def validator_set_hash(validators) -> bytes:
    """CometBFT ``ValidatorSet.Hash``: Merkle root of ``SimpleValidator`` encodings in set order
    (voting power descending, then address ascending)."""
    ordered = sorted(validators, key=lambda v: (-v.power, v.address))
    return ct.merkle_root([ct.f_bytes(1, ct.f_bytes(1, v.pub_key)) + ct.f_varint(2, v.power) for v in ordered])


def parse_validators(entries: list[dict]) -> tuple[Validator, ...]:
    """Parse ``/validators`` entries (ed25519 only); the address must be the key's."""
    out = []
    for entry in entries:
        if entry["pub_key"]["type"] != "tendermint/PubKeyEd25519":
            raise VerificationError(f"unsupported validator key type {entry['pub_key']['type']}")
        pub_key = ct.b64(entry["pub_key"]["value"])
        if address_of(pub_key).hex().upper() != entry.get("address", "").upper():
            raise VerificationError("a reported validator's address is not its key's")
        out.append(Validator(address_of(pub_key), pub_key, int(entry["voting_power"])))
    return tuple(out)


class RpcSource:
    """What the trust walk asks a node: signed headers and validator sets by height."""

    def __init__(self, rpc, wait_seconds: float = 30.0) -> None:
        self.rpc = rpc
        self.wait_seconds = wait_seconds

    def signed_header(self, height: int) -> dict:
        self.rpc.wait_for_height(height, timeout=self.wait_seconds)
        return self.rpc.call("commit", height=str(height))["signed_header"]

    def validators(self, height: int) -> tuple[Validator, ...]:
        entries, page = [], 1
        while True:
            result = self.rpc.call("validators", height=str(height), page=str(page), per_page=str(PER_PAGE))
            entries.extend(result.get("validators", []))
            if len(entries) >= int(result.get("total", 0)) or not result.get("validators"):
                return parse_validators(entries)
            page += 1


@dataclass(frozen=True, slots=True)
class TrustedState:
    height: int                              # last verified header (0: genesis)
    validators: tuple[Validator, ...]        # V_height (empty at genesis)
    next_validators: tuple[Validator, ...]   # N: the exact set that signs height + 1


class Trust:
    """Follows validator changes from a trusted state; ``validators_at(t)`` returns the verified ``V_t``."""

    def __init__(self, source, chain_id: str, state: TrustedState) -> None:
        self.source = source
        self.chain_id = chain_id
        self.state = state

    @classmethod
    def from_genesis(cls, source, genesis: dict) -> "Trust":
        return cls(source, genesis["chain_id"], TrustedState(0, (), validators_from_genesis(genesis)))

    @classmethod
    def from_header(cls, source, height: int, header_hash: str) -> "Trust":
        """Trust the header at ``height`` whose hash is ``header_hash`` (hex), as the user says."""
        header = source.signed_header(height)["header"]
        if ct.header_hash(header).hex().upper() != header_hash.upper():
            raise VerificationError(f"the node's header at height {height} does not have the trusted hash {header_hash}")
        validators = _checked_set(source, height, header["validators_hash"], "validators_hash", height)
        following = _checked_set(source, height + 1, header["next_validators_hash"], "next_validators_hash", height)
        return cls(source, header["chain_id"], TrustedState(height, validators, following))

    def validators_at(self, target: int) -> tuple[Validator, ...]:
        """Return the verified validator set of header ``target`` (at or after the trusted height)."""
        if target < max(self.state.height, 1):
            raise VerificationError(f"height {target} is before the trusted height {self.state.height}")
        while self.state.height < target:
            pivot = target
            while True:
                try:
                    self.state = self._step(pivot)
                    break
                except NotEnoughTrust:
                    pivot = (self.state.height + pivot) // 2
        return self.state.validators

    def _step(self, pivot: int) -> TrustedState:
        trusted = self.state
        signed = self.source.signed_header(pivot)
        header = signed["header"]
        validators = _checked_set(self.source, pivot, header.get("validators_hash", ""), "validators_hash", pivot)
        if pivot == trusted.height + 1:
            if validator_set_hash(trusted.next_validators) != bytes.fromhex(header.get("validators_hash", "")):
                raise VerificationError(f"header {pivot} names another validator set than the trusted header "
                                        f"{trusted.height} announced (next_validators_hash)")
            verify_signed_header(signed, self.chain_id, pivot, trusted.next_validators)
        else:
            verify_signed_header(signed, self.chain_id, pivot, validators)
            power, total = signed_power(signed["commit"], self.chain_id, pivot, trusted.next_validators)
            if 3 * power <= 2 * total:
                raise NotEnoughTrust(f"trusted validators hold {power} of {total} in the commit of {pivot}")
        following = _checked_set(self.source, pivot + 1, header.get("next_validators_hash", ""),
                                 "next_validators_hash", pivot)
        return TrustedState(pivot, validators, following)


def _checked_set(source, height: int, expected_hex: str, field: str, header_height: int) -> tuple[Validator, ...]:
    validators = source.validators(height)
    if validator_set_hash(validators) != bytes.fromhex(expected_hex or ""):
        raise VerificationError(f"the validator set the node reports for height {height} does not match "
                                f"{field} of header {header_height}")
    return validators
