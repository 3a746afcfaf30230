"""Governance and inspection helpers for fault tests: proposals of the network organization, validator sets."""

from __future__ import annotations

import base64
import time

from abci_app.tools.client.rpc import NodeUnreachable, RpcError
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.validators.messages import UpdateValidator


def send(net, signer, action, attempts: int = 3) -> dict:
    """Sign ``action`` with the signer's sequence read from the chain and commit it; return the result."""
    last = None
    for _ in range(attempts):
        node = net.live()[0]
        try:
            answer = node.rpc.abci_query(f"/account/{signer.address}")
            sequence = int(answer["value"]["sequence"]) if answer["code"] == 0 else 0
            tx = signer.sign_tx(net.config.chain_id, sequence, action)
            last = node.rpc.broadcast_tx_commit(tx, timeout=20.0)
        except (NodeUnreachable, RpcError) as exc:
            last = {"error": str(exc)}
            time.sleep(1.0)
            continue
        if int(last.get("check_tx", {}).get("code", 1)) == 0 and int(last.get("tx_result", {}).get("code", 1)) == 0:
            return last
        time.sleep(0.5)
    raise AssertionError(f"transaction {type(action).__name__} not committed: {last}")


def attribute(result: dict, event_type: str, key: str) -> str:
    for event in result["tx_result"].get("events", []):
        if event["type"] == event_type:
            for attr in event["attributes"]:
                if attr["key"] == key:
                    return attr["value"]
    raise AssertionError(f"no {event_type}.{key} in {result['tx_result'].get('events')}")


def govern(net, *updates: tuple[str, int]) -> int:
    """Pass a network-organization proposal setting ``(pub_key_b64, power)``; return the executing height."""
    return pass_proposal(net, "validator set", *(UpdateValidator(base64.b64decode(k), p) for k, p in updates))


def pass_proposal(net, title: str, *actions) -> int:
    """Pass a network-organization proposal of ``actions``; return the height that executed it.

    operator0 submits; operators 0-2 vote yes (3 of 4 weight >= 2/3), so the third
    vote's block decides and executes the proposal (no minimum delay).
    """
    org_id = net.live()[0].rpc.abci_query("/validators")["value"]["org_id"]
    submitted = send(net, net.signer("operator0"), SubmitProposal(org_id, title, "", tuple(actions)))
    proposal_id = int(attribute(submitted, "proposal_submitted", "proposal_id"))
    height = 0
    for index in range(3):
        height = int(send(net, net.signer(f"operator{index}"), Vote(proposal_id, YES))["height"])
    return height


def validator_set(node, height: int) -> dict[str, int]:
    """Return ``{pub_key_b64: power}`` of CometBFT's validator set at ``height`` on ``node``."""
    result = node.rpc.validators(height)
    return {v["pub_key"]["value"]: int(v["voting_power"]) for v in result["validators"]}


def updates_in(node, height: int) -> dict[str, int]:
    """Return the validator updates FinalizeBlock(``height``) returned, ``{pub_key_b64: power}``."""
    results = node.rpc.block_results(height)
    out = {}
    for update in results.get("validator_updates") or []:
        key = update["pub_key"]
        value = key.get("Sum", {}).get("value", {}).get("ed25519") or key.get("ed25519") or key.get("value")
        out[value] = int(update.get("power", 0))
    return out
