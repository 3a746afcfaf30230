"""Validators: the set CometBFT reports at ``/validators``, cached by the commit notifier.

Decision: the app does not record the validator set (FinalizeBlock only sees last
commit votes), so the notifier fetches it from the node's RPC once per new height;
resolvers read that cache and never wait on the network.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from graphql_api.errors import ApiError
from graphql_api.types.common import BigInt


@strawberry.type(name="Validator")
class Validator:
    address: str
    pub_key: str = strawberry.field(description="base64 ed25519 public key")
    voting_power: BigInt
    proposer_priority: BigInt


@strawberry.type(name="ValidatorSet")
class ValidatorSet:
    block_number: int = strawberry.field(description="height CometBFT reported the set at")
    total_voting_power: BigInt
    validators: list[Validator]


def make_set(doc: dict) -> ValidatorSet:
    """Build a ValidatorSet from CometBFT's ``/validators`` result."""
    validators = [Validator(address=v["address"].lower(), pub_key=v["pub_key"]["value"],
                            voting_power=int(v["voting_power"]), proposer_priority=int(v["proposer_priority"]))
                  for v in doc.get("validators", [])]
    return ValidatorSet(block_number=int(doc.get("block_height", 0)), validators=validators,
                        total_voting_power=sum(v.voting_power for v in validators))


@strawberry.type
class ValidatorQueries:
    @strawberry.field(description="The current validator set, from the node's RPC")
    def validators(self, info: Info) -> ValidatorSet:
        notifier = info.context.services.notifier
        if notifier.validators is None:
            raise ApiError(f"validator set not available: {notifier.validators_error or 'not fetched yet'}")
        return make_set(notifier.validators)
