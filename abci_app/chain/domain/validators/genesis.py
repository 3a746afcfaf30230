"""The ``validators`` genesis section: the network organization and the initial validator set.

Format::

    "validators": {
      "organization": {"name": "network", "purpose": "...",
                       "members": [{"address": "samen1...", "weight": 1}, ...],
                       "policy": {"kind": 2, "threshold": 6667, "voting_period": 600, "min_delay": 0}},
      "validators": [{"pub_key": "<base64 ed25519>", "power": 10}, ...],
      "min_validators": 1
    }

The ``validators`` list must equal the validators of CometBFT's ``genesis.json``
(``samen testnet init`` writes both from the same keys).  Without this section
the chain has no network organization and its validator set never changes.
"""

from __future__ import annotations

import base64
import binascii

from abci_app.chain.domain.organizations import handlers as org_handlers, state as orgs
from abci_app.chain.domain.organizations.messages import OrgMember, OrgPolicy
from abci_app.chain.domain.validators import keys, state as vals
from abci_app.chain.domain.validators.handlers import MAX_POWER, PUB_KEY_BYTES
from abci_app.chain.errors import LedgerError
from abci_app.chain.state.protocols import StateRead, StateWrite

SECTION_FIELDS = {"organization", "validators", "min_validators"}
POLICY_FIELDS = {"kind", "threshold", "voting_period", "min_delay", "exit_right"}


class ValidatorsGenesisError(ValueError):
    """The ``validators`` genesis section is invalid (the node does not start)."""


def init_genesis(state: StateWrite, section: object) -> None:
    """Genesis hook: found the network organization and record the initial set."""
    if section is None:
        return
    if not isinstance(section, dict) or set(section) - SECTION_FIELDS:
        raise ValidatorsGenesisError(f"validators section allows only {sorted(SECTION_FIELDS)}")
    initial = _parse_validators(section.get("validators"))
    minimum = section.get("min_validators", 1)
    if not isinstance(minimum, int) or isinstance(minimum, bool) or not 1 <= minimum <= len(initial):
        raise ValidatorsGenesisError(f"min_validators must be in [1, {len(initial)}], got {minimum!r}")
    org = _organization(state, section.get("organization"))
    orgs.create(state, org)
    state.put(keys.ORG, b"%d" % org.id)
    state.put(keys.MIN_VALIDATORS, b"%d" % minimum)
    for pub_key, power in initial:
        state.put(keys.member(pub_key), vals.encode_power(power))


def check_consensus_set(state: StateRead, consensus: list[tuple[bytes, int]] | None) -> None:
    """Raise unless CometBFT's genesis validators ``(ed25519 key, power)`` equal the recorded set.

    Nothing to compare when the genesis has no ``validators`` section or ``consensus`` is ``None``.
    """
    recorded = vals.members(state)
    if consensus is None or not recorded or sorted(recorded) == sorted(consensus):
        return

    def show(entries: list[tuple[bytes, int]]) -> str:
        return ", ".join(f"{base64.b64encode(key).decode()}:{power}" for key, power in sorted(entries))
    raise ValidatorsGenesisError("CometBFT's genesis.json validators differ from the validators section: "
                                 f"genesis.json has [{show(consensus)}], the section has [{show(recorded)}]")


def _parse_validators(entries: object) -> list[tuple[bytes, int]]:
    if not isinstance(entries, list) or not entries:
        raise ValidatorsGenesisError("validators.validators must be a non-empty list")
    out: list[tuple[bytes, int]] = []
    seen: set[bytes] = set()
    for entry in entries:
        if not isinstance(entry, dict) or set(entry) != {"pub_key", "power"}:
            raise ValidatorsGenesisError(f"each validator needs exactly pub_key and power: {entry!r}")
        pub_key = _key(entry["pub_key"])
        power = entry["power"]
        if not isinstance(power, int) or isinstance(power, bool) or not 1 <= power <= MAX_POWER:
            raise ValidatorsGenesisError(f"validator power must be in [1, {MAX_POWER}], got {power!r}")
        if pub_key in seen:
            raise ValidatorsGenesisError(f"validator {entry['pub_key']} is listed twice")
        seen.add(pub_key)
        out.append((pub_key, power))
    return out


def _key(text: object) -> bytes:
    try:
        raw = base64.b64decode(text, validate=True) if isinstance(text, str) else b""
    except binascii.Error:
        raw = b""
    if len(raw) != PUB_KEY_BYTES:
        raise ValidatorsGenesisError(f"pub_key must be a base64 {PUB_KEY_BYTES}-byte ed25519 key, got {text!r}")
    return raw


def _organization(state: StateRead, doc: object) -> orgs.Organization:
    if not isinstance(doc, dict) or set(doc) - {"name", "purpose", "members", "policy"}:
        raise ValidatorsGenesisError("validators.organization needs name, members and policy (and may have purpose)")
    try:
        members = tuple(OrgMember(m["address"], m["weight"]) for m in doc.get("members", []))
        policy_doc = doc.get("policy", {})
        if not isinstance(policy_doc, dict) or set(policy_doc) - POLICY_FIELDS:
            raise ValidatorsGenesisError(f"policy allows only {sorted(POLICY_FIELDS)}")
        policy = OrgPolicy(**policy_doc)
        org_handlers.check_members(members)
        org_handlers.check_policy(policy)
    except (LedgerError, KeyError, TypeError) as exc:
        raise ValidatorsGenesisError(f"invalid network organization: {getattr(exc, 'message', exc)}") from None
    org_id = orgs.next_id(state)
    org = orgs.Organization(org_id, str(doc.get("name", "")), str(doc.get("purpose", "")),
                            orgs.treasury_address(org_id), (), policy, orgs.ACTIVE, 0)
    return orgs.with_members(org, members)
