"""One action, one encoding: the nesting cap before parsing and the canonical form of embedded messages.

Regressions for issue 12, finding 8 (encoding): unknown fields nested deeper than 64
levels survived ``DiscardUnknownFields``, and a present-but-empty ``policy`` and an
absent one were both accepted (one action, two hashes).
"""

from __future__ import annotations

import pytest

from abci_app.chain import nesting, txcodec
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations.messages import OrgPolicy, UpdatePolicy
from abci_app.chain.errors import MalformedTx, NestingTooDeep, NonCanonicalTx
from abci_app.chain.txproto import samen_tx
from abci_app.chain.wire import encode_varint
from tests.abci.bad_txs import nested_proposals
from tests.support.chain import key

BOB = key(2)
UNKNOWN_FIELD = b"\x78\x01"   # field 15, varint 1: no message of ours has it
SUBMIT_PROPOSAL, ACTIONS = b"\xaa\x01", b"\x22"   # Action.submit_proposal (21), SubmitProposal.actions (4)
ACT_AS_ROLE, ROLE_ACTION = b"\xfa\x07", b"\x1a"     # Action.act_as_role (127), ActAsRole.action (3)


def body_with_action(action_bytes: bytes) -> bytes:
    """``TxBody`` bytes, canonical up to ``action_bytes`` (an ``Action``, written as given)."""
    head = samen_tx.TxBody(version=1, chain_id="c", public_key=bytes(32)).SerializeToString(deterministic=True)
    return head + b"\x3a" + encode_varint(len(action_bytes)) + action_bytes


def tx_with_action(action_bytes: bytes) -> bytes:
    return txcodec.encode_tx(body_with_action(action_bytes), bytes(64))


def hand_nested(levels: int, leaf_extra: bytes = b"") -> bytes:
    """An ``Action`` holding ``levels`` nested proposals around a transfer, with ``leaf_extra`` in its innermost Action."""
    inner = txcodec.action_to_proto(Transfer(BOB.address, 5)).SerializeToString(deterministic=True) + leaf_extra
    for _ in range(levels):
        proposal = samen_tx.SubmitProposal(org_id=1, title="t").SerializeToString(deterministic=True)
        proposal += ACTIONS + encode_varint(len(inner)) + inner
        inner = SUBMIT_PROPOSAL + encode_varint(len(proposal)) + proposal
    return inner


def reject(raw: bytes, error: type) -> str:
    with pytest.raises(error) as caught:
        txcodec._decode_tx(raw)
    return caught.value.message


def test_an_unknown_field_below_sixty_four_levels_is_refused_before_parsing():
    assert "nested deeper than 32" in reject(tx_with_action(hand_nested(40, UNKNOWN_FIELD)), NestingTooDeep)


def test_nesting_up_to_the_cap_decodes_and_one_level_more_is_refused():
    body = lambda levels: txcodec.encode_body(chain_id="c", public_key=bytes(32), sequence=0,  # noqa: E731
                                            action=nested_proposals(levels))
    assert txcodec._decode_tx(txcodec.encode_tx(body(15), bytes(64))).action == nested_proposals(15)   # depth 32
    reject(txcodec.encode_tx(body(16), bytes(64)), NestingTooDeep)                                   # depth 34


def test_roles_acting_through_roles_are_capped_like_proposals():
    inner = txcodec.action_to_proto(Transfer(BOB.address, 5)).SerializeToString(deterministic=True) + UNKNOWN_FIELD
    for _ in range(40):
        role = samen_tx.ActAsRole(org_id=1, name="r").SerializeToString(deterministic=True)
        role += ROLE_ACTION + encode_varint(len(inner)) + inner
        inner = ACT_AS_ROLE + encode_varint(len(role)) + role
    assert "nested deeper than 32" in reject(tx_with_action(inner), NestingTooDeep)


def test_an_unknown_field_at_a_shallow_level_is_still_non_canonical():
    reject(tx_with_action(hand_nested(3, UNKNOWN_FIELD)), NonCanonicalTx)


def test_bytes_the_walk_cannot_read_are_left_to_the_parser():
    truncated = hand_nested(3)[:-4]
    reject(tx_with_action(truncated), MalformedTx)
    nesting.check(SUBMIT_PROPOSAL + b"\xff")   # a length running past the end: no verdict from the walk


def test_deep_nesting_behind_a_field_where_the_walk_stops_is_still_refused():
    """The walk stops at an out-of-order field (never canonical); the parser and the canonical check refuse."""
    deep = hand_nested(40, UNKNOWN_FIELD)
    proposal = b"\x12\x01t" + b"\x08\x01" + ACTIONS + encode_varint(len(deep)) + deep   # title (2) before org_id (1)
    action = SUBMIT_PROPOSAL + encode_varint(len(proposal)) + proposal
    nesting.check(body_with_action(action))   # no verdict from the walk
    with pytest.raises((NonCanonicalTx, MalformedTx)):
        txcodec._decode_tx(tx_with_action(action))


def test_an_absent_policy_is_refused_and_the_written_empty_one_is_the_canonical_form():
    action = txcodec.action_to_proto(UpdatePolicy(7, OrgPolicy()))
    present = action.SerializeToString(deterministic=True)
    assert present.endswith(b"\x12\x00")   # policy {} written out
    assert txcodec._decode_tx(tx_with_action(present)).action == UpdatePolicy(7, OrgPolicy())
    action.update_policy.ClearField("policy")
    message = reject(tx_with_action(action.SerializeToString(deterministic=True)), NonCanonicalTx)
    assert "policy" in message


def test_every_recursion_of_the_schema_passes_through_an_action_member():
    """The walk is skipped when none of ``Action``'s recursive members' tags occurs: sound only if so."""
    assert nesting._ENTRY_TAGS == (SUBMIT_PROPOSAL, ACT_AS_ROLE)
    recursive = nesting._recursive_fields(samen_tx.Action.DESCRIPTOR)
    for name, descriptor in samen_tx.DESCRIPTOR.message_types_by_name.items():
        if not nesting._reaches_cycle(descriptor):
            continue
        # every path from this type back to itself passes through Action and one of those members
        assert not _reaches_avoiding(descriptor, descriptor, samen_tx.Action.DESCRIPTOR, set(recursive)), name


def test_the_non_recursive_messages_are_shallow_so_the_cap_stays_below_the_runtime_limits():
    deepest = max(nesting.static_depth(d) for d in samen_tx.DESCRIPTOR.message_types_by_name.values()
                  if not nesting._reaches_cycle(d))
    assert nesting.MAX_DEPTH + deepest < 64   # DiscardUnknownFields walks 64 levels; the parser 100


def _reaches_avoiding(node, target, action, members: set, seen: frozenset = frozenset()) -> bool:
    """True if ``node`` reaches ``target`` through embedded messages without taking ``action``'s ``members``."""
    for f in node.fields:
        child = f.message_type
        if child is None or (node is action and f.number in members) or child in seen:
            continue
        if child is target or _reaches_avoiding(child, target, action, members, seen | {child}):
            return True
    return False
