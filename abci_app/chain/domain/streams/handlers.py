"""Handlers of the streams module: create, claim, stop.

Rules (``docs/lifecycles.md``, "Recurring payments (streams)"):
* the signer pays: an account, or an organization's treasury through a passed proposal;
  the whole reserve moves to ``RESERVES`` at creation, so the payer cannot spend what is promised;
* ``start`` is at or after the block time and at most ``MAX_PERIOD`` ahead; a stream
  accrues at most ``MAX_PERIODS`` periods, so every reserve is paid out within a bounded time;
* anyone may claim; the claimable amount goes to the recipient and never exceeds what accrued;
* only the payer may stop; the accrued part stays claimable, the rest returns at once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.organizations.handlers import MAX_PERIOD
from abci_app.chain.domain.streams import events, state as streams
from abci_app.chain.domain.streams.errors import InvalidStream, NothingAccrued, NotThePayer, StreamNotActive
from abci_app.chain.domain.streams.messages import ClaimStream, CreateStream, StopStream
from abci_app.chain.state.protocols import StateWrite

if TYPE_CHECKING:
    from abci_app.chain.context import TxContext
    from abci_app.chain.context import BlockInfo

MAX_PERIODS = 10_000


def reserve_of(msg: CreateStream, start: int) -> int:
    """The reserve a stream needs: ``total``, capped by the whole periods before ``end`` when one is given."""
    caps = [msg.total] if msg.total else []
    if msg.end:
        caps.append(msg.amount_per_period * ((msg.end - start) // msg.period))
    return min(caps)


def check_stateless_create(msg: CreateStream, ctx: TxContext) -> None:
    """Amounts, period and the end/total pair in range (the start is checked against the block time)."""
    addresses.validate(msg.recipient, "recipient address")
    if msg.recipient == ctx.signer:
        raise InvalidStream("a stream's recipient must differ from its payer")
    if not 1 <= msg.amount_per_period <= accounts.MAX_AMOUNT:
        raise InvalidStream(f"amount per period must be in [1, 2^63-1], got {msg.amount_per_period}")
    if not 1 <= msg.period <= MAX_PERIOD:
        raise InvalidStream(f"period must be in [1, {MAX_PERIOD}] seconds, got {msg.period}")
    if not msg.end and not msg.total:
        raise InvalidStream("a stream needs an end or a total: the reserve must be finite")
    if not 0 <= msg.total <= accounts.MAX_AMOUNT or not 0 <= msg.end <= accounts.MAX_AMOUNT:
        raise InvalidStream("total and end must be in [0, 2^63-1]")


def check_and_execute_create(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: CreateStream) -> list[object]:
    """Move the reserve from the signer to ``RESERVES`` and open the stream."""
    start = msg.start or block.time
    if not block.time <= start <= block.time + MAX_PERIOD:
        raise InvalidStream(f"start {start} must be in [block time {block.time}, block time + {MAX_PERIOD}]")
    if msg.end and msg.end - start < msg.period:
        raise InvalidStream(f"end {msg.end} leaves less than one period after start {start}")
    total = reserve_of(msg, start)
    if total > accounts.MAX_AMOUNT or -(-total // msg.amount_per_period) > MAX_PERIODS:
        raise InvalidStream(f"a stream accrues over at most {MAX_PERIODS} periods and 2^63-1 in total")
    stream = streams.Stream(streams.next_id(state), ctx.signer, msg.recipient, msg.amount_per_period, msg.period,
                            start, total, 0, streams.ACTIVE, block.time)
    accounts.move(state, ctx.signer, streams.RESERVES, total)
    streams.create(state, stream)
    streams.add_recurring(state, stream.payer, active=1, per_30_days=streams.monthly(stream), reserved=total)
    return [events.StreamCreated(stream.id, stream.payer, stream.recipient, stream.amount_per_period,
                                 stream.period, start, total)]


def check_stateless_claim(msg: ClaimStream, ctx: TxContext) -> None:
    """Nothing to check without state."""


def check_and_execute_claim(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: ClaimStream) -> list[object]:
    """Pay the recipient everything accrued and unclaimed; finish the stream when all is paid."""
    stream = streams.require(state, msg.stream_id)
    amount = streams.claimable(stream, block.time)
    if amount <= 0:
        raise NothingAccrued(f"nothing has accrued on stream {stream.id} since its last claim "
                             f"(next period ends at {_next_accrual(stream, block.time)})")
    accounts.move(state, streams.RESERVES, stream.recipient, amount, "stream reserves")
    claimed = stream.claimed + amount
    finished = claimed == stream.total
    streams.put(state, replace(stream, claimed=claimed, status=streams.FINISHED if finished else stream.status))
    if finished and stream.status == streams.ACTIVE:
        streams.add_recurring(state, stream.payer, active=-1, per_30_days=-streams.monthly(stream),
                              reserved=-amount, paid=amount)
    else:
        streams.add_recurring(state, stream.payer, reserved=-amount, paid=amount)
    return [events.StreamClaimed(stream.id, stream.recipient, amount, claimed, finished)]


def _next_accrual(stream: streams.Stream, time: int) -> int:
    if time < stream.start:
        return stream.start + stream.period
    return stream.start + ((time - stream.start) // stream.period + 1) * stream.period


def check_stateless_stop(msg: StopStream, ctx: TxContext) -> None:
    """Nothing to check without state."""


def check_and_execute_stop(state: StateWrite, block: BlockInfo, ctx: TxContext, msg: StopStream) -> list[object]:
    """Cap the stream at what has accrued and return the rest of the reserve to the payer."""
    stream = streams.require(state, msg.stream_id)
    if ctx.signer != stream.payer:
        raise NotThePayer(f"only the payer {stream.payer} may stop stream {stream.id}")
    if stream.status != streams.ACTIVE:
        raise StreamNotActive(f"stream {stream.id} is already {stream.status}")
    accrued = streams.accrued(stream, block.time)
    returned = stream.total - accrued
    if returned:
        accounts.move(state, streams.RESERVES, stream.payer, returned, "stream reserves")
    status = streams.FINISHED if stream.claimed == accrued else streams.STOPPED
    streams.put(state, replace(stream, total=accrued, status=status, stopped_at=block.time))
    streams.add_recurring(state, stream.payer, active=-1, per_30_days=-streams.monthly(stream),
                          reserved=-returned, returned=returned)
    return [events.StreamStopped(stream.id, stream.payer, accrued, returned)]
