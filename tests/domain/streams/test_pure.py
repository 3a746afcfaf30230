"""Stream handlers, pure: create, claim and stop against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.streams import errors as stream_errors
from abci_app.chain.domain.streams import state as streams
from abci_app.chain.domain.streams.messages import ClaimStream, CreateStream, StopStream
from tests.support.chain import key
from tests.support.pure import PureChain

PAYER, PAID = key(1), key(2)


def started(world: PureChain) -> streams.Stream:
    world.run(PAYER, CreateStream(PAID.address, 100, 60, total=300))
    return next(streams.all_streams(world.state))


def test_a_claim_pays_what_accrued_by_the_block_time_and_no_more():
    world = PureChain({PAYER: 1_000})
    stream = started(world)
    world.advance(stream.start - world.time + 2 * 60 + 30)     # two whole periods and a half
    world.run(PAID, ClaimStream(stream.id))
    assert accounts.balance(world.state, PAID.address) == 200
    world.rejects(PAID, ClaimStream(stream.id), stream_errors.NothingAccrued)


def test_only_the_payer_stops_it_and_a_stopped_stream_pays_nothing_more():
    world = PureChain({PAYER: 1_000})
    stream = started(world)
    world.rejects(PAID, StopStream(stream.id), stream_errors.NotThePayer)
    world.run(PAYER, StopStream(stream.id))
    world.advance(600)
    world.rejects(PAYER, StopStream(stream.id), stream_errors.StreamNotActive)
    assert streams.get(world.state, stream.id).status != "active"
