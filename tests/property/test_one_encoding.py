"""Hypothesis: every transaction the codec accepts has exactly one encoding.

Bodies are drawn from the schema itself (``proto/samen/v1/tx.proto``), for every action
kind: each scalar left out or set, each embedded message left out, written empty or
filled, nested actions a few levels deep, and sometimes an extra byte-level field.
For every body ``decode_tx`` accepts, encoding the decoded transaction again must give
back exactly the same bytes, so one action has one byte form and one hash (issue 12,
finding 8).  Everything else must be refused with a ``LedgerError``.
"""

from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor as FD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain import txcodec
from abci_app.chain.errors import LedgerError
from abci_app.chain.txproto import samen_tx

QUICK = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SIGNATURE = b"\x01" * 64
_INTS = {FD.TYPE_UINT64: (0, 2**64 - 1), FD.TYPE_UINT32: (0, 2**32 - 1), FD.TYPE_INT64: (-2**63, 2**63 - 1),
         FD.TYPE_INT32: (-2**31, 2**31 - 1), FD.TYPE_ENUM: (0, 5)}


def scalar(draw, field):
    if field.type == FD.TYPE_BOOL:
        return draw(st.booleans())
    if field.type == FD.TYPE_STRING:
        return draw(st.sampled_from(["", "a", "samen1qqqq", "é"]) | st.text(max_size=4))
    if field.type == FD.TYPE_BYTES:
        return draw(st.sampled_from([b"", bytes(32)]) | st.binary(max_size=33))
    low, top = _INTS[field.type]
    return draw(st.sampled_from([0, 1, 2, 3]) | st.integers(low, top))


def fill(draw, message, depth: int) -> None:
    """Set a random subset of ``message``'s fields; embedded messages absent, empty or filled."""
    descriptor = message.DESCRIPTOR
    oneof_member = None
    if descriptor.oneofs:
        members = descriptor.oneofs[0].fields
        oneof_member = draw(st.sampled_from(list(members)))
    for field in descriptor.fields:
        if field.containing_oneof is not None and field is not oneof_member:
            continue
        repeated = field.is_repeated
        if field.message_type is not None:
            if depth <= 0 and field.message_type.name in ("Action", "SubmitProposal"):
                continue
            count = draw(st.integers(0, 2)) if repeated else 1
            for _ in range(count):
                always = field is oneof_member or (descriptor.name == "TxBody" and draw(st.integers(0, 9)) > 0)
                mode = "filled" if always else draw(st.sampled_from(["absent", "empty", "filled"]))
                if mode == "absent" and not repeated:
                    continue
                child = getattr(message, field.name).add() if repeated else getattr(message, field.name)
                child.SetInParent()
                if mode == "filled":
                    fill(draw, child, depth - 1)
        elif repeated:
            getattr(message, field.name).extend(scalar(draw, field) for _ in range(draw(st.integers(0, 2))))
        elif draw(st.booleans()):
            setattr(message, field.name, scalar(draw, field))


@st.composite
def bodies(draw) -> bytes:
    body = samen_tx.TxBody()
    fill(draw, body, depth=3)
    raw = body.SerializeToString(deterministic=True)
    extra = draw(st.sampled_from([b"", b"", b"", b"\x3a\x00", b"\x78\x01", b"\x3a\x04\x82\x01\x01\x00"]))
    return raw + extra


def test_every_accepted_transaction_encodes_back_to_exactly_its_bytes():
    kinds = set()   # the action kinds accepted, so the property cannot pass by refusing everything

    @QUICK
    @given(bodies())
    def prop(body):
        raw = txcodec.encode_tx(body, SIGNATURE)
        try:
            tx = txcodec._decode_tx(raw)
        except LedgerError:
            return
        kinds.add(type(tx.action).__name__)
        again = txcodec.encode_body(chain_id=tx.chain_id, public_key=tx.public_key, sequence=tx.sequence,
                                  action=tx.action, fee=tx.fee, fee_payer=tx.fee_payer, version=tx.version)
        assert txcodec.encode_tx(again, tx.signature) == raw

    prop()
    assert len(kinds) >= 8, kinds
