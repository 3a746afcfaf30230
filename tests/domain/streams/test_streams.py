"""Streams through the real state machine (in-process chain over LMDB): create, claim, stop, and their rejections."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.streams import state as streams
from abci_app.chain.domain.streams.messages import ClaimStream, CreateStream, StopStream
from tests.domain.organizations.support import assert_ok, send
from tests.support.chain import TestChain, key
from tests.support.exits import locked_value
from abci_app.chain.domain.streams import errors as streams_errors
from tests.support.rejections import assert_rejected

PAYER, TRAINER, STRANGER = key(31), key(32), key(33)
PERIOD = 100


@pytest.fixture()
def chain(tmp_path):
    c = TestChain(tmp_path / "db", balances={PAYER: 10_000, TRAINER: 100, STRANGER: 100})
    c.block()
    yield c
    c.close()


def balance(chain, signer) -> int:
    return accounts.balance(chain.state, signer.address)


def open_stream(chain, **kw) -> int:
    stream_id = streams.next_id(chain.state)
    fields = dict(recipient=TRAINER.address, amount_per_period=300, period=PERIOD, total=1_000) | kw
    assert_ok(send(chain, PAYER, CreateStream(**fields)))
    return stream_id


def test_the_reserve_leaves_the_payer_at_once_and_accrues_period_by_period(chain):
    stream_id = open_stream(chain)
    start = streams.require(chain.state, stream_id).start
    assert balance(chain, PAYER) == 9_000
    assert accounts.balance(chain.state, streams.RESERVES) == 1_000
    assert_rejected(send(chain, STRANGER, ClaimStream(stream_id), time=start + PERIOD - 1), streams_errors.NothingAccrued)
    assert_ok(send(chain, STRANGER, ClaimStream(stream_id), time=start + 2 * PERIOD + 5))
    assert balance(chain, TRAINER) == 100 + 600
    assert_ok(send(chain, TRAINER, ClaimStream(stream_id), time=start + 10 * PERIOD))
    assert balance(chain, TRAINER) == 100 + 1_000 - 0   # the total caps the last period at 100
    assert streams.require(chain.state, stream_id).status == streams.FINISHED
    assert accounts.balance(chain.state, streams.RESERVES) == 0


def test_stopping_keeps_the_accrued_part_claimable_and_returns_the_rest(chain):
    stream_id = open_stream(chain)
    start = streams.require(chain.state, stream_id).start
    assert_rejected(send(chain, TRAINER, StopStream(stream_id), time=start + PERIOD), streams_errors.NotThePayer)
    assert_ok(send(chain, PAYER, StopStream(stream_id), time=start + PERIOD + 50))
    assert balance(chain, PAYER) == 10_000 - 300
    assert_rejected(send(chain, PAYER, StopStream(stream_id)), streams_errors.StreamNotActive)
    assert_ok(send(chain, STRANGER, ClaimStream(stream_id), time=start + 50 * PERIOD))
    assert balance(chain, TRAINER) == 100 + 300
    assert streams.require(chain.state, stream_id).status == streams.FINISHED
    assert locked_value(chain.state, chain.time) == []


def test_an_end_caps_the_reserve_at_the_whole_periods_before_it(chain):
    now = chain.time + 5
    stream_id = open_stream(chain, total=0, end=now + 3 * PERIOD + 99, start=now)
    assert streams.require(chain.state, stream_id).total == 900


def test_the_recurring_cost_figures_follow_creation_and_stop(chain):
    stream_id = open_stream(chain, amount_per_period=10, period=86_400, total=300)
    figures = streams.recurring(chain.state, "org/" + PAYER.address)
    assert (figures.active, figures.per_30_days, figures.reserved) == (1, 300, 300)
    assert_ok(send(chain, PAYER, StopStream(stream_id)))
    figures = streams.recurring(chain.state, "all")
    assert (figures.active, figures.per_30_days, figures.reserved, figures.returned) == (0, 0, 0, 300)


@pytest.mark.parametrize("fields, reason", [
    (dict(amount_per_period=0), "zero amount"),
    (dict(period=0), "zero period"),
    (dict(total=0), "neither end nor total"),
    (dict(recipient="samen1notanaddress"), "bad recipient"),
    (dict(start=1), "start in the past"),
    (dict(total=300 * 10_001), "more than the maximum number of periods"),
    (dict(total=20_000), "more than the payer holds"),
])
def test_a_bad_stream_is_refused_and_changes_nothing(chain, fields, reason):
    before = balance(chain, PAYER)
    values = dict(recipient=TRAINER.address, amount_per_period=300, period=PERIOD, total=1_000) | fields
    outcome = send(chain, PAYER, CreateStream(**values))
    assert not outcome.ok, reason
    assert balance(chain, PAYER) == before
    assert streams.next_id(chain.state) == 1


def test_paying_oneself_is_refused(chain):
    assert_rejected(send(chain, PAYER, CreateStream(PAYER.address, 1, PERIOD, total=5)), streams_errors.InvalidStream)
