"""Time-driven transitions read only what is due: the end-of-block hooks stop at the first future key."""

from __future__ import annotations

from abci_app.chain.domain.agreements import keys as agreement_keys, state as agreements
from abci_app.chain.domain.market import keys as market_keys, state as mkt
from abci_app.chain.domain.projects import keys as project_keys, state as projects
from abci_app.chain.state import timers
from abci_app.chain.state.delta import Delta
from abci_app.chain.state.protocols import DictState


class CountingState:
    """A StateRead that counts the entries it yields from prefix scans."""

    def __init__(self, base) -> None:
        self.base, self.yielded = base, 0

    def get(self, key):
        return self.base.get(key)

    def iter_prefix(self, prefix, start=None, reverse=False):
        for item in self.base.iter_prefix(prefix, start, reverse):
            self.yielded += 1
            yield item


def test_due_scans_stop_at_the_first_entry_in_the_future():
    state = Delta(DictState())
    for n in range(1, 201):
        state.put(market_keys.due(1_000 + n, n), b"")
        state.put(agreement_keys.due(1_000 + n, n, 0), b"")
        state.put(project_keys.due(1_000 + n, n), b"")
    counting = CountingState(state)
    assert mkt.due_requests(counting, 1_002) == [1, 2]
    assert agreements.due_milestones(counting, 1_001) == [(1, 0)]
    assert projects.due_offers(counting, 1_000) == []
    assert counting.yielded == 3 + 2 + 1   # the due entries plus one look-ahead per scan, not 600


def test_one_key_format_orders_by_time_then_id_over_the_whole_u64_range():
    times = [0, 1, 255, 256, 10**12, (1 << 63) + 5, (1 << 64) - 1]
    keys = [timers.time_key(b"q/", t, i) for t in times for i in (0, 7, (1 << 64) - 1)]
    assert sorted(keys) == keys and len({len(k) for k in keys}) == 1
    assert [timers.parse_time_key(b"q/", k) for k in keys] == [(t, (i,)) for t in times for i in (0, 7, (1 << 64) - 1)]
    assert timers.parse_time_key(b"agr/due/", agreement_keys.due(5, 6, 7)) == (5, (6, 7))
