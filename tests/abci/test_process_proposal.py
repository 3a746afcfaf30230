"""ProcessProposal refuses a block a proposer filled with junk: any transaction failing the stateless
checks (decode, size, signature, the action's own checks) or any transaction included twice.

Regression for issue 12, finding 7 (second half).  Stateful failures (a used sequence,
an unknown sender, an action that fails against state) are not the proposal's fault:
they are accepted and FinalizeBlock answers each with its code.
"""

from __future__ import annotations

import pytest

from abci_app.chain import txcodec
from abci_app.chain.domain.accounts.messages import Transfer
from tests.support.chain import TestChain, key
from abci_app.chain import errors
from tests.support.rejections import pair

ALICE, BOB, STRANGER = key(1), key(2), key(9)


@pytest.fixture
def chain(tmp_path):
    c = TestChain(tmp_path / "db", balances={ALICE: 1_000_000, BOB: 1_000})
    c.block()
    yield c
    c.close()


def transfer(chain, sequence: int = 0, amount: int = 5, memo: str = "", signer=ALICE, chain_id: str | None = None):
    return signer.sign_tx(chain_id or chain.chain_id, sequence, Transfer(BOB.address, amount, memo))


def bad_signature(raw: bytes) -> bytes:
    tx = txcodec.decode_tx(raw)
    return txcodec.encode_tx(tx.body, bytes([tx.signature[0] ^ 1]) + tx.signature[1:])


JUNK = {
    "random bytes": lambda c: bytes(range(3, 90, 2)),
    "a bad signature": lambda c: bad_signature(transfer(c)),
    "another chain's transaction": lambda c: transfer(c, chain_id="elsewhere"),
    "a zero amount": lambda c: transfer(c, amount=0),
    "an oversize transaction": lambda c: transfer(c, memo="x" * 40_000),
    "a memo over the limit": lambda c: transfer(c, memo="x" * 300),
}


@pytest.mark.parametrize("name", sorted(JUNK))
def test_a_block_holding_one_transaction_that_fails_the_stateless_checks_is_rejected(chain, name):
    valid = [transfer(chain, 0), transfer(chain, 1)]
    assert chain.app.process_proposal(valid)
    assert not chain.app.process_proposal([valid[0], JUNK[name](chain), valid[1]])


def test_a_block_holding_the_same_transaction_twice_is_rejected(chain):
    raw = transfer(chain, 0)
    assert not chain.app.process_proposal([raw, transfer(chain, 1), raw])


def test_a_block_of_stateful_failures_is_accepted_and_finalize_block_answers_each(chain):
    txs = [transfer(chain, 7), transfer(chain, 0, signer=STRANGER), transfer(chain, 0, amount=10**9, signer=BOB)]
    assert chain.app.process_proposal(txs)
    assert [(t.codespace, t.code) for t in chain.block(*txs).txs] == [pair(errors.SequenceMismatch), pair(errors.UnknownSender), pair(errors.InsufficientFunds)]


def test_prepare_proposal_drops_repeats_and_junk_so_process_proposal_accepts_its_block(chain):
    raw, junk = transfer(chain, 0), bad_signature(transfer(chain, 1))
    kept = chain.app.prepare_proposal([raw, junk, raw, transfer(chain, 1)], 1 << 20)
    assert kept == [raw, transfer(chain, 1)]
    assert chain.app.process_proposal(kept)
