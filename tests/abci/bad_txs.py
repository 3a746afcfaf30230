"""The bad transactions of the bad-input matrix: one builder per kind, with its expected error.

Each builder takes a fresh chain from ``make_chain`` (run any set-up blocks there) and
returns the bad transaction's bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from abci_app.chain import errors
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.accounts.state import MAX_AMOUNT
from abci_app.chain.domain.organizations.messages import CreateOrganization, OrgMember, OrgPolicy
from abci_app.chain.domain.proposals.messages import SubmitProposal
from abci_app.chain.txproto import samen_tx
from tests.abci.helpers import body_message, canonical, envelope, sign_body
from tests.support.chain import TestChain, key, ok

MIN_FEE = 2
ALICE, BOB, CAROL, DAVE, ERIN, STRANGER = (key(n) for n in (1, 2, 3, 4, 5, 9))


def make_chain(path) -> TestChain:
    """Alice is rich, Bob has 1000, Carol cannot pay a fee of 5, Dave sends the valid filler txs.

    An empty first block commits genesis, so Info reports a real height and app hash.
    """
    chain = TestChain(path, balances={ALICE: 1_000_000, BOB: 1_000, CAROL: 3, DAVE: 1_000_000},
                      params={"min_fee": MIN_FEE})
    chain.block()
    return chain


def alice_transfer(chain, amount: int = 10, memo: str = "", sequence: int = 0, fee: int = MIN_FEE, **kw) -> bytes:
    return ALICE.sign_tx(chain.chain_id, sequence, Transfer(BOB.address, amount, memo), fee=fee, **kw)


def alice_body(chain, **fields) -> samen_tx.TxBody:
    return body_message(ALICE, chain.chain_id, 0, Transfer(BOB.address, 10), fee=MIN_FEE, **fields)


# -- builders: each returns the bad transaction's bytes (after any set-up blocks) -----


def random_bytes(chain):
    # Fixed arbitrary bytes (Hypothesis covers random ones in tests/property).
    return bytes(range(7, 250, 3))


def truncated(chain):
    return alice_transfer(chain)[:-9]


def trailing_bytes_after_the_transaction(chain):
    return alice_transfer(chain) + b"\x00\x00"


def bad_signature(chain):
    tx = envelope(alice_transfer(chain))
    flipped = bytes([tx.signature[0] ^ 0x01]) + tx.signature[1:]
    return samen_tx.Tx(body=tx.body, signature=flipped).SerializeToString(deterministic=True)


def short_signature(chain):
    tx = envelope(alice_transfer(chain))
    return samen_tx.Tx(body=tx.body, signature=tx.signature[:63]).SerializeToString(deterministic=True)


def altered_body_with_the_original_signature(chain):
    tx = envelope(alice_transfer(chain, amount=10))
    other = envelope(alice_transfer(chain, amount=11))
    return samen_tx.Tx(body=other.body, signature=tx.signature).SerializeToString(deterministic=True)


def body_for_another_chain_id(chain):
    return ALICE.sign_tx("another-chain", 0, Transfer(BOB.address, 10), fee=MIN_FEE)


def signature_made_for_another_chain_id(chain):
    """The body names this chain but the signature was made over the other chain's body."""
    foreign = envelope(ALICE.sign_tx("another-chain", 0, Transfer(BOB.address, 10), fee=MIN_FEE))
    ours = envelope(alice_transfer(chain))
    return samen_tx.Tx(body=ours.body, signature=foreign.signature).SerializeToString(deterministic=True)


def old_sequence(chain):
    ok(chain.block(alice_transfer(chain, sequence=0)))
    return alice_transfer(chain, amount=11, sequence=0)


def skipped_sequence(chain):
    return alice_transfer(chain, sequence=1)


def oversize_transaction(chain):
    return alice_transfer(chain, memo="x" * 40_000)


def zero_amount(chain):
    return alice_transfer(chain, amount=0)


def negative_amount_as_twos_complement(chain):
    return alice_transfer(chain, amount=(1 << 64) - 5)  # int64 -5 sent as uint64


def amount_one_above_the_maximum(chain):
    return alice_transfer(chain, amount=MAX_AMOUNT + 1)


def _body_with_raw_amount(chain, varint: bytes) -> bytes:
    head = canonical(body_message(ALICE, chain.chain_id, 0, fee=MIN_FEE))  # every field before action (7)
    transfer = canonical(samen_tx.Transfer(to=BOB.address))
    wide = transfer + b"\x10" + varint                 # Transfer.amount = field 2, varint
    action = b"\x82\x01" + bytes([len(wide)]) + wide  # Action.transfer = field 16, length-delimited
    return sign_body(ALICE, head + b"\x3a" + bytes([len(action)]) + action)


def amount_varint_above_two_to_the_64(chain):
    """A 10-byte varint whose top byte carries bits above 2^64: parsers wrap it, so not canonical."""
    return _body_with_raw_amount(chain, b"\xff" * 9 + b"\x7f")


def amount_varint_longer_than_ten_bytes(chain):
    return _body_with_raw_amount(chain, b"\xff" * 10 + b"\x01")


def unknown_sender(chain):
    return STRANGER.sign_tx(chain.chain_id, 0, Transfer(BOB.address, 10), fee=MIN_FEE)


def insufficient_balance(chain):
    return BOB.sign_tx(chain.chain_id, 0, Transfer(ALICE.address, 5_000), fee=MIN_FEE)


def unknown_field_in_the_body(chain):
    return sign_body(ALICE, canonical(alice_body(chain)) + b"\x78\x01")  # field 15, varint 1


def unknown_field_in_the_envelope(chain):
    return alice_transfer(chain) + b"\x18\x01"  # Tx field 3, varint 1


def reordered_fields(chain):
    body = alice_body(chain)
    parts = []
    for name in ("chain_id", "version", "public_key", "fee", "action"):  # chain_id before version
        single = samen_tx.TxBody()
        if name == "action":
            single.action.CopyFrom(body.action)
        else:
            setattr(single, name, getattr(body, name))
        parts.append(canonical(single))
    return sign_body(ALICE, b"".join(parts))


def default_value_written_out(chain):
    return sign_body(ALICE, canonical(alice_body(chain)) + b"\x20\x00")  # sequence = 0 written explicitly


def trailing_bytes_in_the_signed_body(chain):
    return sign_body(ALICE, canonical(alice_body(chain)) + b"\x3a\x00")  # a second, empty action field


def wrong_version(chain):
    return sign_body(ALICE, canonical(alice_body(chain, version=2)))


def empty_action(chain):
    return sign_body(ALICE, canonical(body_message(ALICE, chain.chain_id, 0, fee=MIN_FEE)))


def short_public_key(chain):
    body = alice_body(chain, public_key=ALICE.public_key[:31])
    return sign_body(ALICE, canonical(body))


def bad_recipient_address(chain):
    return ALICE.sign_tx(chain.chain_id, 0, Transfer("samen1notanaddress", 10), fee=MIN_FEE)


def recipient_address_with_another_prefix(chain):
    cosmos_like = "cosmos" + BOB.address[len("samen"):]
    return ALICE.sign_tx(chain.chain_id, 0, Transfer(cosmos_like, 10), fee=MIN_FEE)


def bad_fee_payer_address(chain):
    return alice_transfer(chain, fee_payer="samen1xyz")


def fee_payer_without_allowance(chain):
    return alice_transfer(chain, fee_payer=BOB.address)


def memo_too_long(chain):
    return alice_transfer(chain, memo="é" * 129)  # 258 UTF-8 bytes


def fee_below_minimum(chain):
    return alice_transfer(chain, fee=MIN_FEE - 1)


def unpayable_fee(chain):
    return CAROL.sign_tx(chain.chain_id, 0, Transfer(BOB.address, 1), fee=5)


def nested_proposals(levels: int, leaf=None):
    """A ``SubmitProposal`` whose only action is a ``SubmitProposal``... ``levels`` deep, around ``leaf``."""
    action = leaf or Transfer(BOB.address, 1)
    for _ in range(levels):
        action = SubmitProposal(1, "nested", "", (action,))
    return action


def nesting_deeper_than_the_cap(chain):
    return ALICE.sign_tx(chain.chain_id, 0, nested_proposals(16), fee=MIN_FEE)  # TxBody 1 + Action 1 + 2 x 16


def absent_policy(chain):
    body = body_message(ALICE, chain.chain_id, 0, CreateOrganization("Buurt", "", (OrgMember(BOB.address, 1),),
                                                                     OrgPolicy(1, 1, 60, 0)), fee=MIN_FEE)
    body.action.create_organization.ClearField("policy")   # canonical form writes it even when empty
    return sign_body(ALICE, canonical(body))


@dataclass(frozen=True)
class Case:
    """A bad transaction and its error; ``charged``: it is authenticated and only its action fails,
    so FinalizeBlock takes its fee and consumes its sequence (CheckTx still rejects it)."""

    build: Callable[[TestChain], bytes]
    error: type[errors.LedgerError]
    charged: bool = False

    @property
    def name(self) -> str:
        return self.build.__name__


CASES = [
    Case(random_bytes, errors.MalformedTx),
    Case(truncated, errors.MalformedTx),
    Case(trailing_bytes_after_the_transaction, errors.MalformedTx),
    Case(bad_signature, errors.BadSignature),
    Case(short_signature, errors.BadSignature),
    Case(altered_body_with_the_original_signature, errors.BadSignature),
    Case(body_for_another_chain_id, errors.WrongChain),
    Case(signature_made_for_another_chain_id, errors.BadSignature),
    Case(old_sequence, errors.SequenceMismatch),
    Case(skipped_sequence, errors.SequenceMismatch),
    Case(oversize_transaction, errors.TxTooLarge),
    Case(zero_amount, errors.ZeroAmount),
    Case(negative_amount_as_twos_complement, errors.AmountOutOfRange),
    Case(amount_one_above_the_maximum, errors.AmountOutOfRange),
    Case(amount_varint_above_two_to_the_64, errors.NonCanonicalTx),
    Case(amount_varint_longer_than_ten_bytes, errors.MalformedTx),
    Case(unknown_sender, errors.UnknownSender),
    Case(insufficient_balance, errors.InsufficientFunds, charged=True),
    Case(unknown_field_in_the_body, errors.NonCanonicalTx),
    Case(unknown_field_in_the_envelope, errors.NonCanonicalTx),
    Case(reordered_fields, errors.NonCanonicalTx),
    Case(default_value_written_out, errors.NonCanonicalTx),
    Case(trailing_bytes_in_the_signed_body, errors.NonCanonicalTx),
    Case(wrong_version, errors.UnsupportedVersion),
    Case(empty_action, errors.EmptyAction),
    Case(short_public_key, errors.BadPublicKey),
    Case(bad_recipient_address, errors.InvalidAddress),
    Case(recipient_address_with_another_prefix, errors.InvalidAddress),
    Case(bad_fee_payer_address, errors.InvalidAddress),
    Case(fee_payer_without_allowance, errors.UnknownFeePayer),
    Case(memo_too_long, errors.MemoTooLong),
    Case(fee_below_minimum, errors.FeeTooLow),
    Case(unpayable_fee, errors.InsufficientFee),
    Case(nesting_deeper_than_the_cap, errors.NestingTooDeep),
    Case(absent_policy, errors.NonCanonicalTx),
]
