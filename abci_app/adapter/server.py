"""ABCI 2.0 socket server (asyncio): with its framing (``framing``) and response encoders
(``responses``), the only code that imports the ABCI protobufs.

Wire format: each message is ``uvarint(length) || protobuf(Request|Response)``, a
request at most ``framing.MAX_FRAME`` (128 MiB) long.
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

from abci_app.chain import wire
from abci_app.adapter.app import SOFTWARE_VERSION, LedgerApp
from abci_app.adapter.framing import FrameError, frame, parse_request, split_frames
from abci_app.adapter.responses import (BLOCK_ID_FLAG_COMMIT, READ_FALLBACKS, RECHECK, encoded_event, exec_tx_result,
                                        misbehavior_value, validator_update)
from abci_app.chain.context import TxOutcome
from abci_app.chain.domain.upgrades.registry import UpgradeHalt
from abci_app.adapter.preverify import Preverifier
from abci_app.adapter.protos import abci
from abci_app.adapter.records import CommitVote
from abci_app.chain.state.proofs import PROOF_OP_TYPE
from abci_app.adapter.storage.restore import Offered

log = logging.getLogger("samen.abci")
READ_CHUNK = 1 << 18


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
        calls = [(kind, getattr(r, kind) if kind else None) for r in requests for kind in (r.WhichOneof("value"),)]
        new = [(i, m.tx) for i, (kind, m) in enumerate(calls) if kind == "check_tx" and m.type != RECHECK]
        start = 0
        for end, verified in self.preverifier.submit(len(requests), new):
            if verified is not None:
                self.preverifier.mark(await asyncio.wrap_future(verified))
            writer.write(b"".join([frame(self.call(kind, m)) for kind, m in calls[start:end]]))
            start = end

    def respond(self, body: bytes) -> tuple[object, bool]:
        """Decode one request and return its response (a ``Response``, or its bytes); a bug stops the server."""
        return self.handle(parse_request(body))

    def handle(self, request) -> tuple[object, bool]:
        """Return the response to a parsed request and whether it was a Flush (see ``respond``)."""
        kind = request.WhichOneof("value")
        return self.call(kind, getattr(request, kind) if kind else None), kind == "flush"

    def call(self, kind: str | None, message) -> object:
        """Return the response to one request: its method ``kind`` and that method's ``message``."""
        if kind is None:
            raise FrameError("ABCI request without a method")
        try:
            start = time.perf_counter()
            response = self._handlers[kind](message)
            self.observer.request(kind, time.perf_counter() - start)
            return response
        except UpgradeHalt as exc:   # the chain needs other software: stop with one line (docs/upgrades.md)
            log.critical("%s", exc)
            self.fatal = exc
            self.stop()
            raise FrameError(str(exc)) from exc
        except Exception as exc:
            if kind in READ_FALLBACKS:   # a read: answer it as failed, never halt (module doc)
                log.error("%s failed: %s: %.200s; answered as a failed read", kind, type(exc).__name__, exc)
                return READ_FALLBACKS[kind]()
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
