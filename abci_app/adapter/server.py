"""ABCI 2.0 socket server (asyncio): the only module that imports the ABCI protobufs.

Wire format: each message is ``uvarint(length) || protobuf(Request|Response)``, a
request at most ``MAX_FRAME`` (128 MiB) long.
CometBFT opens four connections (query, snapshot, mempool, consensus) and may
pipeline many requests on one; every request is answered in order, one response
each, and pending responses are written out no later than the answer to Flush.
Back-pressure: after each batch of answers the server waits until the socket's
write buffer is below its high-water mark (``asyncio`` drain) before reading more,
so a peer that sends requests but does not read answers cannot make responses pile
up in memory; it is slowed to the pace at which it reads.
All connections share one thread, so requests are handled one at a time (the
same guarantee as CometBFT's own server's global mutex).

Errors:
* a frame that is not a valid Request (bad varint, oversize, undecodable bytes)
  closes that connection with a logged error;
* read methods anyone can trigger (``Query`` through RPC ``abci_query``,
  ``ListSnapshots`` and ``LoadSnapshotChunk`` through P2P peers) never halt: a
  failure is logged in one line and answered as a failed read (``QueryFailed``,
  no snapshots, a missing chunk);
* an unexpected exception inside any other handler (consensus, CheckTx,
  snapshot restore) is a bug: it is logged and the server stops with a non-zero
  exit, so the node halts instead of diverging.  An exception response is never
  sent (it would kill CometBFT anyway).
"""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from google.protobuf.message import DecodeError

from abci_app.chain import events as typed_events, wire
from abci_app.adapter.app import SOFTWARE_VERSION, LedgerApp
from abci_app.chain.context import TxOutcome
from abci_app.chain.domain.upgrades.registry import UpgradeHalt
from abci_app.chain.domain.validators.events import ValidatorMisbehavior
from abci_app.chain.errors import QueryFailed
from abci_app.adapter.preverify import Preverifier
from abci_app.adapter.protos import abci
from abci_app.adapter.records import CommitVote
from abci_app.chain.state.proofs import PROOF_OP_TYPE
from abci_app.adapter.storage.restore import Offered
from abci_app.chain.wire import encode_varint

log = logging.getLogger("samen.abci")

# The largest request CometBFT can send: a block is at most 100 MiB (types.MaxBlockSizeBytes), so
# PrepareProposal/ProcessProposal/FinalizeBlock stay below this; a bigger length prefix is not CometBFT.
MAX_FRAME = 128 << 20
READ_CHUNK = 1 << 18


class FrameError(Exception):
    """A frame on the wire is not a valid ABCI request."""


def decode_varint(buf: bytes | bytearray | memoryview, pos: int) -> tuple[int, int] | None:
    """Return ``(value, next_pos)``, or ``None`` if the varint is not complete yet."""
    result, shift, end = 0, 0, len(buf)
    while pos < end:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift >= 64:
            raise FrameError("length prefix is longer than 10 bytes")
    return None


def frame(message) -> bytes:
    """Return a length-prefixed ``Response``: a message, or bytes a handler encoded itself (``wire``)."""
    body = message if isinstance(message, bytes) else message.SerializeToString()
    return encode_varint(len(body)) + body


def split_frames(buf: bytearray, max_frame: int = MAX_FRAME) -> tuple[list[bytes], int]:
    """Return the complete frames' bodies at the start of ``buf`` and the bytes they use."""
    bodies, pos = [], 0
    while True:
        header = decode_varint(buf, pos)
        if header is None:
            return bodies, pos
        length, start = header
        if length > max_frame:
            raise FrameError(f"frame of {length} bytes exceeds the limit of {max_frame}")
        if start + length > len(buf):
            return bodies, pos
        bodies.append(bytes(buf[start:start + length]))
        pos = start + length


class Observer:
    """What the server reports as it answers (``abci_app.adapter.metrics.AppMetrics``); this one ignores it all."""

    def request(self, method: str, seconds: float) -> None:
        """One request of ABCI ``method`` took ``seconds`` to answer."""

    def check_tx(self, recheck: bool, outcome: TxOutcome) -> None:
        """CheckTx (or its recheck) answered ``outcome``."""

    def finalize_block(self, result) -> None:
        """FinalizeBlock returned ``result`` (``abci_app.adapter.app.FinalizeResult``)."""

    def committed(self, app: LedgerApp) -> None:
        """Commit finished; ``app.committed`` is the new height."""


class AbciServer:
    def __init__(self, app: LedgerApp, observer: Observer | None = None, verify_workers: int = 1) -> None:
        self.app = app
        self.observer = observer or Observer()
        self.preverifier = Preverifier(verify_workers)   # new CheckTx signatures off the loop (``preverify``)
        self.fatal: BaseException | None = None
        self._stop = asyncio.Event()
        self._writers: set[asyncio.StreamWriter] = set()
        self._handlers = {
            "echo": self.echo, "flush": self.flush, "info": self.info, "init_chain": self.init_chain,
            "query": self.query, "check_tx": self.check_tx, "commit": self.commit,
            "list_snapshots": self.list_snapshots, "offer_snapshot": self.offer_snapshot,
            "load_snapshot_chunk": self.load_snapshot_chunk, "apply_snapshot_chunk": self.apply_snapshot_chunk,
            "prepare_proposal": self.prepare_proposal, "process_proposal": self.process_proposal,
            "extend_vote": self.extend_vote, "verify_vote_extension": self.verify_vote_extension,
            "finalize_block": self.finalize_block,
        }

    # -- transport ------------------------------------------------------------------------

    async def serve(self, address: str) -> None:
        """Listen on ``unix:///path`` or ``tcp://host:port`` until stopped; re-raise a fatal error."""
        if address.startswith("unix://"):
            path = Path(address[len("unix://"):])
            if path.exists():
                path.unlink()
            server = await asyncio.start_unix_server(self.connection, path=str(path))
        elif address.startswith("tcp://"):
            host, _, port = address[len("tcp://"):].rpartition(":")
            server = await asyncio.start_server(self.connection, host=host, port=int(port))
        else:
            raise ValueError(f"ABCI address must be unix:// or tcp://, got {address!r}")
        log.info("ABCI server listening on %s", address)
        async with server:
            await self._stop.wait()
            await self._close_connections()
        self.preverifier.close()
        if isinstance(self.fatal, UpgradeHalt):
            raise self.fatal
        if self.fatal is not None:
            raise SystemExit(f"samen: halting after an internal error: {self.fatal!r}")

    def stop(self) -> None:
        self._stop.set()

    async def _close_connections(self) -> None:
        """Close every open connection and let its handler return (no task is left to cancel at exit)."""
        for writer in list(self._writers):
            writer.close()
        for _ in range(20):
            if not self._writers:
                return
            await asyncio.sleep(0.01)

    async def connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        buf = bytearray()
        self._writers.add(writer)
        try:
            while not self._stop.is_set():
                chunk = await reader.read(READ_CHUNK)
                if not chunk:
                    return
                buf += chunk
                bodies, used = split_frames(buf)
                del buf[:used]
                if bodies:
                    await self._answer_batch([parse_request(body) for body in bodies], writer)
                    await writer.drain()   # back-pressure (module doc); returns at once below the mark
        except FrameError as exc:
            log.error("closing ABCI connection: %s", exc)
        except (ConnectionResetError, BrokenPipeError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _answer_batch(self, requests: list, writer: asyncio.StreamWriter) -> None:
        """Answer a read batch in order, new CheckTx signatures checked ahead by the worker (``preverify``)."""
        new = [(i, r.check_tx.tx) for i, r in enumerate(requests)
               if r.WhichOneof("value") == "check_tx" and r.check_tx.type != RECHECK]
        start = 0
        for end, verified in self.preverifier.submit(len(requests), new):
            if verified is not None:
                self.preverifier.mark(await asyncio.wrap_future(verified))
            writer.write(b"".join([frame(self.handle(r)[0]) for r in requests[start:end]]))
            start = end

    def respond(self, body: bytes) -> tuple[object, bool]:
        """Decode one request and return its response (a ``Response``, or its bytes); a bug stops the server."""
        return self.handle(parse_request(body))

    def handle(self, request) -> tuple[object, bool]:
        """Return the response to a parsed request (see ``respond``)."""
        kind = request.WhichOneof("value")
        if kind is None:
            raise FrameError("ABCI request without a method")
        try:
            start = time.perf_counter()
            response = self._handlers[kind](getattr(request, kind))
            self.observer.request(kind, time.perf_counter() - start)
            return response, kind == "flush"
        except UpgradeHalt as exc:   # the chain needs other software: stop with one line (docs/upgrades.md)
            log.critical("%s", exc)
            self.fatal = exc
            self.stop()
            raise FrameError(str(exc)) from exc
        except Exception as exc:
            if kind in READ_FALLBACKS:   # a read: answer it as failed, never halt (module doc)
                log.error("%s failed: %s: %.200s; answered as a failed read", kind, type(exc).__name__, exc)
                return READ_FALLBACKS[kind](), False
            # a bug, never a ledger rejection: halt rather than diverge
            log.exception("internal error while handling %s; stopping", kind)
            self.fatal = exc
            self.stop()
            raise FrameError(f"internal error in {kind}") from exc

    # -- one small method per ABCI call ----------------------------------------------------

    def echo(self, req):
        return abci.Response(echo=abci.ResponseEcho(message=req.message))

    def flush(self, req):
        return abci.Response(flush=abci.ResponseFlush())

    def info(self, req):
        height, app_hash = self.app.info()
        return abci.Response(info=abci.ResponseInfo(
            data="samen", version=SOFTWARE_VERSION, app_version=self.app.app_version(),
            last_block_height=height, last_block_app_hash=app_hash))

    def init_chain(self, req):
        consensus = [(v.pub_key.ed25519, v.power) for v in req.validators]
        app_hash = self.app.init_chain(req.chain_id, req.app_state_bytes, req.initial_height, consensus)
        return abci.Response(init_chain=abci.ResponseInitChain(app_hash=app_hash))

    def query(self, req):
        r = self.app.query(req.path, req.data, req.height, req.prove)
        response = abci.ResponseQuery(code=r.code, codespace=r.codespace, log=r.log, value=r.value,
                                      height=r.height, key=r.key or req.data)
        if r.proof:
            response.proof_ops.ops.add(type=PROOF_OP_TYPE, key=r.key, data=r.proof)
        return abci.Response(query=response)

    def check_tx(self, req):
        r = self.app.check_tx(req.tx, req.type == RECHECK)
        self.observer.check_tx(req.type == RECHECK, r)
        return wire.check_tx_response(r.code, r.codespace, r.log)

    def commit(self, req):
        response = abci.Response(commit=abci.ResponseCommit(retain_height=self.app.commit()))
        self.observer.committed(self.app)
        return response

    def list_snapshots(self, req):
        snapshots = [abci.Snapshot(height=s.height, format=s.format, chunks=s.chunks, hash=s.hash, metadata=s.metadata)
                     for s in self.app.list_snapshots()]
        return abci.Response(list_snapshots=abci.ResponseListSnapshots(snapshots=snapshots))

    def offer_snapshot(self, req):
        s = req.snapshot
        offered = Offered(s.height, s.format, s.chunks, s.hash, s.metadata)
        result = getattr(abci.ResponseOfferSnapshot.Result, self.app.offer_snapshot(offered, req.app_hash))
        return abci.Response(offer_snapshot=abci.ResponseOfferSnapshot(result=result))

    def load_snapshot_chunk(self, req):
        chunk = self.app.load_snapshot_chunk(req.height, req.format, req.chunk)
        return abci.Response(load_snapshot_chunk=abci.ResponseLoadSnapshotChunk(chunk=chunk))

    def apply_snapshot_chunk(self, req):
        r = self.app.apply_snapshot_chunk(req.index, req.chunk, req.sender)
        result = getattr(abci.ResponseApplySnapshotChunk.Result, r.result)
        return abci.Response(apply_snapshot_chunk=abci.ResponseApplySnapshotChunk(
            result=result, refetch_chunks=list(r.refetch_chunks), reject_senders=list(r.reject_senders)))

    def prepare_proposal(self, req):
        txs = self.app.prepare_proposal(list(req.txs), req.max_tx_bytes)
        return abci.Response(prepare_proposal=abci.ResponsePrepareProposal(txs=txs))

    def process_proposal(self, req):
        status = abci.ResponseProcessProposal.ProposalStatus
        ok = self.app.process_proposal(list(req.txs))
        return abci.Response(process_proposal=abci.ResponseProcessProposal(status=status.ACCEPT if ok else status.REJECT))

    def extend_vote(self, req):
        return abci.Response(extend_vote=abci.ResponseExtendVote(vote_extension=b""))

    def verify_vote_extension(self, req):
        status = abci.ResponseVerifyVoteExtension.VerifyStatus.ACCEPT
        return abci.Response(verify_vote_extension=abci.ResponseVerifyVoteExtension(status=status))

    def finalize_block(self, req):
        misbehavior = tuple(misbehavior_value(m) for m in req.misbehavior)
        last_commit = tuple(CommitVote(v.validator.address, v.validator.power, v.block_id_flag == BLOCK_ID_FLAG_COMMIT)
                            for v in req.decided_last_commit.votes)
        r = self.app.finalize_block(req.height, req.time.seconds, req.proposer_address, list(req.txs), req.hash,
                                    misbehavior, last_commit)
        self.observer.finalize_block(r)
        tail = abci.ResponseFinalizeBlock(app_hash=r.app_hash, validator_updates=[
            validator_update(k, p) for k, p in r.validator_updates])
        if r.app_version:   # an upgrade ran: CometBFT puts the new app version in the next headers
            tail.consensus_param_updates.version.app = r.app_version
        tail = tail.SerializeToString()
        return wire.finalize_block_response([encoded_event(e) for e in r.events],
                                            [exec_tx_result(t) for t in r.txs], tail)


def parse_request(body: bytes):
    """Return the ``Request`` in a frame's body; raise ``FrameError`` if it is not one."""
    request = abci.Request()
    try:
        request.ParseFromString(body)
    except DecodeError as exc:
        raise FrameError(f"undecodable ABCI request: {exc}") from None
    return request


def validator_update(pub_key: bytes, power: int):
    """Return an ABCI ``ValidatorUpdate`` for an ed25519 consensus key."""
    return abci.ValidatorUpdate(pub_key={"ed25519": pub_key}, power=power)


RECHECK = abci.CheckTxType.RECHECK
_QUERY_FAILED = QueryFailed("query failed on this node; try again or ask another node")
READ_FALLBACKS = {   # what a read method answers when it fails (see the module doc)
    "query": lambda: abci.Response(query=abci.ResponseQuery(
        code=_QUERY_FAILED.code, codespace=_QUERY_FAILED.codespace, log=_QUERY_FAILED.message)),
    "list_snapshots": lambda: abci.Response(list_snapshots=abci.ResponseListSnapshots()),
    "load_snapshot_chunk": lambda: abci.Response(load_snapshot_chunk=abci.ResponseLoadSnapshotChunk()),
}
MISBEHAVIOR_KINDS = {1: "duplicate_vote", 2: "light_client_attack"}
BLOCK_ID_FLAG_COMMIT = 2   # tendermint.types.BlockIDFlag: the validator signed the block


def misbehavior_value(m) -> ValidatorMisbehavior:
    return ValidatorMisbehavior(MISBEHAVIOR_KINDS.get(m.type, "unknown"), m.validator.address, m.validator.power,
                                m.height, m.time.seconds)


def exec_tx_result(outcome: TxOutcome) -> bytes:
    """Return the encoded ``ExecTxResult``; a success leads with a ``message`` event (action, sender)."""
    events = [encoded_event(e) for e in outcome.events]
    if outcome.ok:
        events.insert(0, wire.event("message", (("action", outcome.action), ("sender", outcome.signer))))
    return wire.exec_tx_result(outcome.code, outcome.codespace, outcome.log, events)


def encoded_event(event) -> bytes:
    """Return a typed event as an encoded ABCI ``Event`` (``events.indexed`` sets each attribute's flag)."""
    return wire.event(typed_events.event_type(event), typed_events.attributes(event), typed_events.indexed)
