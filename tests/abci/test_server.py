"""The ABCI socket server in-process: wire vectors, framing, ordering, Flush, every request type,
and malformed frames closing only their own connection.

Framing properties drive ``AbciServer.connection`` with a reader that hands out exact
chunks, so "split across reads" means exactly that; the rest uses a real unix socket.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from abci_app.adapter.app import LedgerApp
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.adapter.protos import abci
from abci_app.adapter.framing import FrameError, decode_varint, frame, split_frames
from abci_app.adapter.server import AbciServer
from abci_app.chain.wire import encode_varint
from abci_app.adapter.storage.store import Store
from tests.support.chain import key

ALICE, BOB = key(1), key(2)
CHAIN_ID = "samen-server-test"
GENESIS = json.dumps({"accounts": [{"address": ALICE.address, "balance": 5_000}]}).encode()
WAIT = 10  # seconds: bound on every socket wait


# -- wire vectors from shared/reference/abci-v0.38.md (protoc output for v0.38.25 protos) ---


def test_wire_vectors_from_the_reference_match_our_framing():
    assert frame(abci.Request(flush=abci.RequestFlush())).hex() == "021200"
    assert frame(abci.Response(flush=abci.ResponseFlush())).hex() == "021a00"
    assert frame(abci.Request(commit=abci.RequestCommit())).hex() == "025a00"
    assert frame(abci.Response(commit=abci.ResponseCommit(retain_height=0))).hex() == "026200"
    assert frame(abci.Response(check_tx=abci.ResponseCheckTx(code=0))).hex() == "024a00"
    assert frame(abci.Response(echo=abci.ResponseEcho(message="hi"))).hex() == "0612040a026869"
    info = abci.RequestInfo(version="0.38.25", block_version=11, p2p_version=8, abci_version="2.0.0")
    assert frame(abci.Request(info=info)).hex() == "161a140a07302e33382e3235100b18082205322e302e30"
    assert encode_varint(309).hex() == "b502"  # unsigned; the 0.34 signed scheme gave ea04


def test_a_length_prefix_longer_than_ten_bytes_is_a_frame_error():
    with pytest.raises(FrameError):
        decode_varint(b"\xff" * 10 + b"\x01", 0)
    assert decode_varint(b"\xff\xff", 0) is None  # incomplete, not an error


def test_a_frame_above_the_limit_is_a_frame_error():
    with pytest.raises(FrameError):
        split_frames(bytearray(encode_varint(1001) + b"x"), max_frame=1000)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.binary(max_size=300), max_size=8), st.lists(st.integers(0, 4000), max_size=10))
def test_split_frames_recovers_every_body_however_the_stream_is_cut(bodies, cuts):
    stream = b"".join(encode_varint(len(b)) + b for b in bodies)
    buf, got = bytearray(), []
    points = sorted({c % (len(stream) + 1) for c in cuts} | {0, len(stream)})
    for start, end in zip(points, points[1:]):
        buf += stream[start:end]
        found, used = split_frames(buf)
        got.extend(found)
        del buf[:used]
    assert got == bodies and not buf


# -- AbciServer.connection over exact read chunks ------------------------------------------


class ChunkReader:
    """Hand the server exactly these chunks, one per ``read``, then end of stream."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    async def read(self, _n: int) -> bytes:
        return self.chunks.pop(0) if self.chunks else b""


class RecordingWriter:
    """Record what the server writes and when it drains (flushes to the socket)."""

    def __init__(self) -> None:
        self.events: list[tuple[str, bytes]] = []

    def write(self, data: bytes) -> None:
        self.events.append(("write", data))

    async def drain(self) -> None:
        self.events.append(("drain", b""))

    def close(self) -> None:
        self.events.append(("close", b""))

    def written(self) -> bytes:
        return b"".join(data for kind, data in self.events if kind == "write")


@pytest.fixture
def app(tmp_path):
    store = Store(tmp_path / "db", map_size=1 << 30)
    ledger = LedgerApp(store)
    ledger.init_chain(CHAIN_ID, GENESIS)
    yield ledger
    ledger.close()
    store.close()


def stateless_requests() -> list:
    """Requests whose answers do not depend on earlier ones (so they can be replayed)."""
    return [abci.Request(echo=abci.RequestEcho(message="one")), abci.Request(info=abci.RequestInfo()),
            abci.Request(check_tx=abci.RequestCheckTx(tx=b"\x01garbage")),
            abci.Request(query=abci.RequestQuery(path="/params")),
            abci.Request(echo=abci.RequestEcho(message="two" * 50)), abci.Request(flush=abci.RequestFlush())]


def parse_responses(raw: bytes) -> list:
    bodies, used = split_frames(bytearray(raw))
    assert used == len(raw)
    out = []
    for body in bodies:
        response = abci.Response()
        response.ParseFromString(body)
        out.append(response)
    return out


async def serve_chunks(app, chunks: list[bytes]) -> RecordingWriter:
    writer = RecordingWriter()
    await AbciServer(app).connection(ChunkReader(chunks), writer)
    return writer


async def test_frames_split_at_every_byte_boundary_get_the_same_answers(app):
    stream = b"".join(frame(r) for r in stateless_requests())
    whole = (await serve_chunks(app, [stream])).written()
    assert [r.WhichOneof("value") for r in parse_responses(whole)] == \
        ["echo", "info", "check_tx", "query", "echo", "flush"]
    for cut in range(1, len(stream)):
        assert (await serve_chunks(app, [stream[:cut], stream[cut:]])).written() == whole, cut


async def test_a_stream_fed_one_byte_per_read_gets_the_same_answers(app):
    stream = b"".join(frame(r) for r in stateless_requests())
    whole = (await serve_chunks(app, [stream])).written()
    assert (await serve_chunks(app, [stream[i:i + 1] for i in range(len(stream))])).written() == whole


async def test_responses_are_written_out_and_drained_when_flush_is_answered(app):
    requests = [abci.Request(echo=abci.RequestEcho(message=str(i))) for i in range(3)]
    flush = frame(abci.Request(flush=abci.RequestFlush()))
    writer = await serve_chunks(app, [b"".join(frame(r) for r in requests) + flush])
    kinds = [kind for kind, _ in writer.events]
    assert kinds == ["write", "drain", "close"]
    assert [r.WhichOneof("value") for r in parse_responses(writer.written())] == ["echo"] * 3 + ["flush"]


# -- a real unix socket -----------------------------------------------------------------------


class Client:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer, self.buf = reader, writer, bytearray()

    @classmethod
    async def connect(cls, path: Path) -> "Client":
        return cls(*await asyncio.wait_for(asyncio.open_unix_connection(str(path)), WAIT))

    async def call(self, *requests) -> list:
        """Send the requests and a Flush; return the responses before the Flush answer."""
        self.writer.write(b"".join(frame(r) for r in requests) + frame(abci.Request(flush=abci.RequestFlush())))
        await self.writer.drain()
        responses = await asyncio.wait_for(self._read(len(requests) + 1), WAIT)
        assert responses[-1].WhichOneof("value") == "flush"
        return responses[:-1]

    async def _read(self, n: int) -> list:
        out: list = []
        while len(out) < n:
            chunk = await self.reader.read(1 << 16)
            assert chunk, "server closed the connection"
            self.buf += chunk
            bodies, used = split_frames(self.buf)
            del self.buf[:used]
            out.extend(parse_responses(b"".join(frame_body(b) for b in bodies)))
        return out

    def close(self) -> None:
        self.writer.close()


def frame_body(body: bytes) -> bytes:
    return encode_varint(len(body)) + body


@pytest.fixture
async def server(app):
    folder = Path(tempfile.mkdtemp(prefix="abci", dir="/tmp"))  # unix socket paths are short
    path = folder / "s.sock"
    srv = AbciServer(app)
    task = asyncio.create_task(srv.serve(f"unix://{path}"))
    for _ in range(WAIT * 100):
        if path.exists():
            break
        await asyncio.sleep(0.01)
    yield srv, path, task
    srv.stop()
    await asyncio.wait_for(task, WAIT)
    shutil.rmtree(folder, ignore_errors=True)


def every_request_type(tx: bytes) -> list:
    """One request of each of the 16 v0.38 types, in an order a node could send them."""
    r = abci
    return [
        r.Request(info=r.RequestInfo(version="0.38.26", block_version=11, p2p_version=8, abci_version="2.0.0")),
        r.Request(init_chain=r.RequestInitChain(chain_id=CHAIN_ID, app_state_bytes=GENESIS, initial_height=1)),
        r.Request(check_tx=r.RequestCheckTx(tx=tx, type=r.CheckTxType.NEW)),
        r.Request(prepare_proposal=r.RequestPrepareProposal(txs=[tx], max_tx_bytes=1 << 20, height=1)),
        r.Request(process_proposal=r.RequestProcessProposal(txs=[tx], height=1)),
        r.Request(extend_vote=r.RequestExtendVote(height=1)),
        r.Request(verify_vote_extension=r.RequestVerifyVoteExtension(height=1)),
        r.Request(finalize_block=r.RequestFinalizeBlock(txs=[tx], height=1)),
        r.Request(commit=r.RequestCommit()),
        r.Request(query=r.RequestQuery(path=f"/account/{BOB.address}")),
        r.Request(list_snapshots=r.RequestListSnapshots()),
        r.Request(offer_snapshot=r.RequestOfferSnapshot()),
        r.Request(load_snapshot_chunk=r.RequestLoadSnapshotChunk(height=1)),
        r.Request(apply_snapshot_chunk=r.RequestApplySnapshotChunk()),
        r.Request(echo=r.RequestEcho(message="still here")),
        r.Request(info=r.RequestInfo()),
    ]


def response_kind(request_kind: str) -> str:
    return request_kind  # the Request and Response oneofs use the same field names


async def test_every_v038_request_type_is_answered_in_order_and_never_with_an_exception(server):
    srv, path, task = server
    tx = ALICE.sign_tx(CHAIN_ID, 0, Transfer(BOB.address, 100))
    requests = every_request_type(tx)
    client = await Client.connect(path)
    responses = await client.call(*requests)
    client.close()
    assert [r.WhichOneof("value") for r in responses] == [response_kind(q.WhichOneof("value")) for q in requests]
    assert {q.WhichOneof("value") for q in requests} | {"flush"} == {f.name for f in abci.Request.DESCRIPTOR.oneofs_by_name["value"].fields}
    by_kind = {r.WhichOneof("value"): r for r in responses}
    assert by_kind["check_tx"].check_tx.code == 0
    assert list(by_kind["prepare_proposal"].prepare_proposal.txs) == [tx]
    assert by_kind["process_proposal"].process_proposal.status == abci.ResponseProcessProposal.ACCEPT
    finalized = by_kind["finalize_block"].finalize_block
    assert [t.code for t in finalized.tx_results] == [0] and finalized.app_hash
    assert json.loads(by_kind["query"].query.value)["balance"] == 100
    assert responses[-1].info.last_block_height == 1
    assert responses[-1].info.last_block_app_hash == finalized.app_hash
    assert by_kind["offer_snapshot"].offer_snapshot.result == abci.ResponseOfferSnapshot.ABORT
    assert by_kind["verify_vote_extension"].verify_vote_extension.status == abci.ResponseVerifyVoteExtension.ACCEPT
    assert srv.fatal is None and not task.done()


async def test_pipelined_requests_are_answered_strictly_in_order(server):
    _, path, _ = server
    client = await Client.connect(path)
    requests = [abci.Request(echo=abci.RequestEcho(message=f"m{i}")) if i % 3 else
                abci.Request(check_tx=abci.RequestCheckTx(tx=bytes([i % 256]) * 5)) for i in range(300)]
    responses = await client.call(*requests)
    client.close()
    assert len(responses) == 300
    for i, response in enumerate(responses):
        if i % 3:
            assert response.echo.message == f"m{i}"
        else:
            assert response.WhichOneof("value") == "check_tx" and response.check_tx.code != 0


@pytest.mark.parametrize("garbage", [
    encode_varint(3) + b"\xff\xff\xff",   # a frame whose body is not a Request
    b"\xff" * 11,                         # a length prefix longer than ten bytes
    encode_varint(0),                     # an empty Request: no method
], ids=["undecodable-body", "overlong-prefix", "request-without-method"])
async def test_a_malformed_frame_closes_only_its_own_connection(server, garbage):
    srv, path, task = server
    bad, good = await Client.connect(path), await Client.connect(path)
    bad.writer.write(garbage)
    await bad.writer.drain()
    assert await asyncio.wait_for(bad.reader.read(100), WAIT) == b""  # closed by the server
    [answer] = await good.call(abci.Request(echo=abci.RequestEcho(message="alive")))
    assert answer.echo.message == "alive"
    third = await Client.connect(path)
    assert (await third.call(abci.Request(info=abci.RequestInfo())))[0].info.data == "samen"
    for client in (bad, good, third):
        client.close()
    assert srv.fatal is None and not task.done()
