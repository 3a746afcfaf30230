"""What a client needs to verify an answer itself (``docs/proofs.md`` section 4):

* ``lightBlock(height)``: a block's header, the commit that signs it (Ed25519 signatures over
  CometBFT's canonical precommit) and the validator set of that height, as the node's
  CometBFT RPC reported them (``graphql_api/lightblocks.py`` keeps the last few; no height:
  the newest).  Their ``app_hash`` is the state root after the block *before*.
* ``stateProof(key, block)``: the raw value stored under a state key (or its absence) and
  the ``samen:smt`` proof of it under the app hash of that height, i.e. ``samen query store
  KEY --verify`` through GraphQL.

The server is not trusted: the client recomputes the header hash, checks the signatures
and the validator set's hash, then the proof against the header's ``app_hash``.
Hex fields are upper case as CometBFT prints them; signatures and keys are base64.
"""

from __future__ import annotations

import base64

import strawberry
from strawberry.types import Info

from graphql_api.errors import ApiError
from graphql_api.types.accounts import PROOF_ENTRIES
from graphql_api.types.common import BlockHeight, state_height

MAX_KEY_BYTES = 512


@strawberry.type(name="BlockId")
class BlockId:
    hash: str
    parts_total: int
    parts_hash: str


@strawberry.type(name="BlockHeader")
class BlockHeader:
    version_block: int
    version_app: int
    chain_id: str
    height: int
    time: str = strawberry.field(description="RFC 3339 with nanoseconds, as signed")
    last_block_id: BlockId
    last_commit_hash: str
    data_hash: str
    validators_hash: str
    next_validators_hash: str
    consensus_hash: str
    app_hash: str = strawberry.field(description="state root after the previous block")
    last_results_hash: str
    evidence_hash: str
    proposer_address: str


@strawberry.type(name="CommitSignature")
class CommitSignature:
    block_id_flag: int = strawberry.field(description="2: a precommit for the block (only these count)")
    validator_address: str
    timestamp: str
    signature: str = strawberry.field(description="base64 Ed25519 signature, empty when absent")


@strawberry.type(name="Commit")
class Commit:
    height: int
    round: int
    block_id: BlockId
    signatures: list[CommitSignature]


@strawberry.type(name="LightValidator")
class LightValidator:
    address: str
    pub_key: str = strawberry.field(description="base64 Ed25519 public key")
    voting_power: int


@strawberry.type(name="LightBlock")
class LightBlock:
    height: int
    header: BlockHeader
    commit: Commit
    validators: list[LightValidator] = strawberry.field(description="the set that signs this height, in set order")


@strawberry.type(name="StateProof")
class StateProof:
    height: int = strawberry.field(description="the state's height; its app hash is in header height + 1")
    key: str = strawberry.field(description="the state key, hex")
    value: str | None = strawberry.field(description="base64 of the stored bytes; null: proven absent")
    proof: str = strawberry.field(description="base64 samen:smt proof (docs/proofs.md section 2)")


def _block_id(doc: dict) -> BlockId:
    parts = doc.get("parts") or {}
    return BlockId(hash=doc.get("hash", ""), parts_total=int(parts.get("total", 0)), parts_hash=parts.get("hash", ""))


def make_light_block(doc: dict) -> LightBlock:
    """Build a LightBlock from a kept ``{"signed_header", "validators"}`` (CometBFT RPC JSON)."""
    header, commit = doc["signed_header"]["header"], doc["signed_header"]["commit"]
    version = header.get("version") or {}
    hexes = {name: header.get(name, "") for name in (
        "last_commit_hash", "data_hash", "validators_hash", "next_validators_hash", "consensus_hash", "app_hash",
        "last_results_hash", "evidence_hash", "proposer_address")}
    made_header = BlockHeader(version_block=int(version.get("block", 0)), version_app=int(version.get("app", 0)),
                              chain_id=header["chain_id"], height=int(header["height"]), time=header["time"],
                              last_block_id=_block_id(header.get("last_block_id") or {}), **hexes)
    signatures = [CommitSignature(block_id_flag=int(s.get("block_id_flag", 0)),
                                  validator_address=s.get("validator_address") or "",
                                  timestamp=s.get("timestamp") or "", signature=s.get("signature") or "")
                  for s in commit.get("signatures", [])]
    made_commit = Commit(height=int(commit["height"]), round=int(commit.get("round", 0)),
                         block_id=_block_id(commit["block_id"]), signatures=signatures)
    validators = [LightValidator(address=v["address"], pub_key=v["pub_key"]["value"], voting_power=int(v["voting_power"]))
                  for v in doc["validators"]]
    return LightBlock(height=made_header.height, header=made_header, commit=made_commit, validators=validators)


def _key(hex_key: str) -> bytes:
    try:
        key = bytes.fromhex(hex_key)
    except ValueError:
        raise ApiError(f"state key must be hex, got {hex_key[:40]!r}") from None
    if not key or len(key) > MAX_KEY_BYTES:
        raise ApiError(f"state key must be 1 to {MAX_KEY_BYTES} bytes")
    return key


@strawberry.type
class LightBlockQueries:
    @strawberry.field(description="A recent block's signed header with its validator set, from the node's RPC "
                                  "(only the newest few are kept; no height: the newest), to verify answers")
    def light_block(self, info: Info, height: int | None = None) -> LightBlock | None:
        light = info.context.services.notifier.light_blocks
        found = light.latest() if height is None else light.at(height)
        if found is None and height is None:
            raise ApiError(f"no signed header available: {light.error or 'not fetched yet'}")
        return None if found is None else make_light_block(found)

    @strawberry.field(description="The raw value under a state key (hex) and its samen:smt proof under the app "
                                  "hash of the answer's height (samen query store KEY --verify)")
    def state_proof(self, info: Info, key: str, block: BlockHeight | None = None) -> StateProof:
        raw_key = _key(key)
        ctx = info.context
        ctx.check_deadline()
        with ctx.read() as reader:
            ctx.charge(reader, PROOF_ENTRIES)
            height = state_height(reader, block)
            value = reader.state_at(height).get(raw_key)
            proof = reader.proof(raw_key, height)
        return StateProof(height=height, key=raw_key.hex(), proof=base64.b64encode(proof).decode(),
                          value=None if value is None else base64.b64encode(bytes(value)).decode())

