"""Time-driven transitions read only what is due: the end-of-block hooks stop at the first future key."""

from __future__ import annotations

from abci_app.chain.domain.agreements import state as agreements
from abci_app.chain.domain.market import state as mkt
from abci_app.chain.domain.projects import state as projects
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
        state.put(b"mkt/due/%016x/%016x" % (1_000 + n, n), b"")
        state.put(b"agr/due/%016x/%016x/%04x" % (1_000 + n, n, 0), b"")
        state.put(b"prj/due/%016x/%016x" % (1_000 + n, n), b"")
    counting = CountingState(state)
    assert mkt.due_requests(counting, 1_002) == [1, 2]
    assert agreements.due_milestones(counting, 1_001) == [(1, 0)]
    assert projects.due_offers(counting, 1_000) == []
    assert counting.yielded == 3 + 2 + 1   # the due entries plus one look-ahead per scan, not 600
