"""Hypothesis: a stream never pays more than has accrued by a model recount, and its reserve always has an exit.

Random streams (amounts, periods, starts, ends and totals) are claimed at random
times by anyone and stopped by their payers; after every block the recipients'
receipts per stream are compared with an independent recount of the accrual, the
reserve account with what streams still owe, and the exit checker finds nothing locked.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.streams import state as streams
from abci_app.chain.domain.streams.messages import ClaimStream, CreateStream, StopStream
from tests.support.chain import TestChain, key
from tests.support.exits import locked_value

PEOPLE = tuple(key(n) for n in range(40, 44))
QUICK = settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    c = TestChain(tmp_path_factory.mktemp("streams") / "db", balances={k: 10**9 for k in PEOPLE})
    c.block()
    yield c
    c.close()


def model_accrued(amount: int, period: int, start: int, cap: int, time: int) -> int:
    """The recount: pay ``amount`` at each whole period boundary reached, up to ``cap``."""
    paid, boundary = 0, start + period
    while boundary <= time and paid < cap:
        paid = min(cap, paid + amount)
        boundary += period
    return paid


create = st.builds(lambda p, r, a, per, delay, end, total: ("create", p, r, a, per, delay, end, total),
                   st.integers(0, 3), st.integers(1, 3), st.integers(1, 500), st.integers(1, 50),
                   st.integers(0, 40), st.integers(0, 300), st.integers(0, 5_000))
act = st.tuples(st.sampled_from(("claim", "stop")), st.integers(0, 3), st.integers(0, 1_000))
ops = st.lists(st.tuples(st.one_of(create, act), st.integers(0, 60)), min_size=1, max_size=20)


def _message(chain, op, known: list[int]):
    if op[0] == "create":
        _, p, r, amount, period, delay, end, total = op
        start = chain.time + chain.block_seconds + delay
        return PEOPLE[p], CreateStream(PEOPLE[(p + r) % 4].address, amount, period, start,
                                       start + end if end else 0, total)
    if not known:
        return None
    stream = streams.require(chain.state, known[op[2] % len(known)])
    signer = PEOPLE[op[1]]
    return signer, ClaimStream(stream.id) if op[0] == "claim" else StopStream(stream.id)


def test_streams_never_pay_more_than_accrued_and_never_lock_value(chain):
    @QUICK
    @given(ops)
    def prop(steps):
        known = [s.id for s in streams.all_streams(chain.state)]
        for op, wait in steps:
            made = _message(chain, op, known)
            if made is None:
                continue
            result = chain.block(chain.tx(*made), time=chain.time + 1 + wait)
            if not result.txs[0].charged:
                chain.sequences[made[0].address] -= 1
            known = [s.id for s in streams.all_streams(chain.state)]
            _check(chain)

    prop()
    paid = sum(s.claimed for s in streams.all_streams(chain.state))
    assert paid > 0 and any(s.stopped_at for s in streams.all_streams(chain.state)), "no claim or stop ever ran"


def _check(chain) -> None:
    owed = 0
    for stream in streams.all_streams(chain.state):
        cap = stream.total
        recount = model_accrued(stream.amount_per_period, stream.period, stream.start, cap, chain.time)
        assert stream.claimed <= recount == streams.accrued(stream, chain.time)
        if stream.stopped_at:
            at_stop = model_accrued(stream.amount_per_period, stream.period, stream.start, 10**30, stream.stopped_at)
            assert stream.total <= at_stop
        owed += stream.total - stream.claimed
    assert accounts.balance(chain.state, streams.RESERVES) == owed
    assert locked_value(chain.state, chain.time) == []
