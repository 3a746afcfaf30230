"""Signatures of pipelined CheckTx requests checked on a worker thread (``abci_app.adapter.preverify``):
the answers are byte for byte those of the inline path, and only valid signatures are ever marked verified."""

from __future__ import annotations

import json

import pytest

from abci_app.adapter.app import LedgerApp
from abci_app.adapter.preverify import Preverifier, verify_all
from abci_app.adapter.protos import abci
from abci_app.adapter.framing import frame
from abci_app.adapter.server import AbciServer
from abci_app.adapter.storage.store import Store
from abci_app.chain import auth, txcodec
from abci_app.chain.domain.accounts.messages import Transfer
from tests.abci.test_server import ChunkReader, RecordingWriter, parse_responses
from tests.support.chain import key

ALICE, BOB, MALLORY = key(1), key(2), key(3)
CHAIN_ID = "samen-preverify-test"
GENESIS = json.dumps({"accounts": [{"address": ALICE.address, "balance": 10**9}]}).encode()


def forged(raw: bytes) -> bytes:
    """The same transaction with its signature's last byte flipped (still canonical)."""
    tx = txcodec.decode_tx_uncached(raw)
    return txcodec.encode_tx(tx.body, tx.signature[:-1] + bytes([tx.signature[-1] ^ 1]))


def pipelined_batch() -> list:
    """150 requests in one read: valid transfers with consecutive sequences, forgeries, garbage,
    a stranger's transfer, RECHECKs and non-CheckTx requests, interleaved across several worker chunks."""
    requests, seq = [], 0
    for i in range(150):
        if i % 10 == 3:
            tx = forged(ALICE.sign_tx(CHAIN_ID, seq, Transfer(BOB.address, 1)))
        elif i % 10 == 5:
            tx = b"\x0a\x03abc" + bytes([i])
        elif i % 10 == 7:
            tx = MALLORY.sign_tx(CHAIN_ID, 0, Transfer(BOB.address, i))
        elif i % 10 == 9:
            requests.append(abci.Request(echo=abci.RequestEcho(message=str(i))))
            continue
        else:
            tx = ALICE.sign_tx(CHAIN_ID, seq, Transfer(BOB.address, 1))
            seq += 1
        kind = abci.CheckTxType.RECHECK if i % 20 == 11 else abci.CheckTxType.NEW
        requests.append(abci.Request(check_tx=abci.RequestCheckTx(tx=tx, type=kind)))
    return requests + [abci.Request(flush=abci.RequestFlush())]


async def answers(tmp_path, name: str, workers: int) -> list:
    """Serve the batch on a fresh chain with ``workers`` signature threads; return the parsed responses."""
    auth._verified.clear()
    store = Store(tmp_path / name, map_size=1 << 30)
    app = LedgerApp(store)
    app.init_chain(CHAIN_ID, GENESIS)
    server = AbciServer(app, verify_workers=workers)
    writer = RecordingWriter()
    try:
        await server.connection(ChunkReader([b"".join(frame(r) for r in pipelined_batch())]), writer)
    finally:
        server.preverifier.close()
        app.close()
        store.close()
    return parse_responses(writer.written())


async def test_a_pipelined_batch_gets_the_same_answers_with_the_signature_worker_as_without(tmp_path):
    inline = await answers(tmp_path, "inline", 0)
    threaded = await answers(tmp_path, "threaded", 1)
    assert [r.SerializeToString() for r in threaded] == [r.SerializeToString() for r in inline]
    codes = [r.check_tx.code for r in threaded if r.WhichOneof("value") == "check_tx"]
    assert codes.count(0) > 50 and len(set(codes)) > 2   # accepted, forged and malformed all answered


def test_the_worker_vouches_only_for_transactions_whose_signature_is_valid():
    good = ALICE.sign_tx(CHAIN_ID, 0, Transfer(BOB.address, 1))
    other_chain = ALICE.sign_tx("another-chain", 0, Transfer(BOB.address, 1))
    assert verify_all([good, forged(good), b"", b"\xff" * 40, other_chain]) == [txcodec.tx_hash(good), txcodec.tx_hash(other_chain)]


def test_a_batch_is_cut_into_chunks_that_end_after_their_last_new_check_tx():
    plan = Preverifier(workers=1, chunk=2)
    try:
        chunks = plan.submit(10, [(1, b"a"), (2, b"b"), (6, b"c")])
        assert [end for end, _ in chunks] == [3, 7, 10]
        assert chunks[-1][1] is None and all(f.result() == [] for _, f in chunks[:-1])
    finally:
        plan.close()
    assert Preverifier(workers=0).submit(5, [(1, b"a")]) == [(5, None)]


@pytest.mark.parametrize("raw", [b"", b"\x0a\x02", b"\x0a\x01\x00\x12\x40" + b"\x00" * 64])
def test_bytes_without_a_full_transaction_have_no_verified_hash(raw):
    assert auth.verified_hash(raw) is None
