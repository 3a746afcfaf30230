"""Economic invariants, checked after every block of the adversarial simulation.

State invariants read committed state only; block invariants read one block's
result.  Each raises ``AssertionError`` with a readable message.

* ``supply_conserved``: balances add up to the genesis supply (fees move to the
  community pool, nothing is minted or burned).
* ``no_value_locked``: every unit of value has an exit some party can take within
  bounded time (``tests.support.exits.locked_value`` walks the state).
* ``never_delivered_gets_nothing``: a milestone that was never delivered pays its
  provider nothing, and an agreement with a reclaimed milestone is recorded as
  broken in the agreement and in the provider's reputation.  A milestone both
  parties cancelled is refunded and is not a breach (the requester consented).
* ``disputer_gains_nothing``: a delivered milestone disputed and left to the
  no-arbiter default pays the disputing requester nothing back.
* ``due_work_capped``: no time-driven queue processes more than the cap in a
  block, and none processes fewer while items it could process are waiting.
* ``rejections_are_ledger_errors``: a rejected transaction carries a known
  ``(codespace, code)`` and a log (a crash would have raised out of the block).
* ``CancelWatch``: confirming a cancel never refunds a milestone delivered after
  the proposal (followed through the transactions' events, in order).
* ``ReplayWatch``: signed bytes that were executed once (succeeded, or failed after
  authentication) never succeed again.
"""

from __future__ import annotations

from collections import Counter

from abci_app import errors
from abci_app.domain.accounts import state as accounts
from abci_app.domain.agreements import state as agreements
from abci_app.domain.agreements.state import MilestoneStatus as S
from abci_app.domain.reputation import state as reputation
from tests.support import exits, market_invariants

KNOWN_CODES = frozenset((cls.codespace, cls.code) for cls in errors.all_error_classes())


def supply_conserved(state, genesis_supply: int) -> None:
    market_invariants.no_negative_balance(state)
    total = sum(a.balance for _, a in accounts.all_accounts(state))
    assert accounts.supply(state) == genesis_supply, f"supply is {accounts.supply(state)}, genesis had {genesis_supply}"
    assert total == genesis_supply, f"balances add up to {total}, genesis supply is {genesis_supply}"


def no_value_locked(state, now: int, excused: frozenset = frozenset()) -> None:
    """No holding without an exit (``excused``: places whose exit a rule change still has to add)."""
    locked = [item for item in exits.locked_value(state, now) if item.place not in excused]
    assert not locked, f"value without an exit at {now}: {locked}"


def never_delivered_gets_nothing(state) -> None:
    broken_as_provider: Counter = Counter()
    for a in agreements.all_agreements(state):
        for index, m in enumerate(a.milestones):
            if m.open or m.delivered_at:
                continue
            where = f"agreement {a.id} milestone {index} (never delivered, {m.status.value})"
            assert m.to_provider == 0, f"{where} paid its provider {m.to_provider}"
            assert m.status in (S.RECLAIMED, S.CANCELLED), f"{where} ended neither reclaimed nor cancelled"
        if a.settled and any(m.status is S.RECLAIMED for m in a.milestones):
            assert a.outcome == "broken", f"agreement {a.id} has a reclaimed milestone but outcome {a.outcome}"
            broken_as_provider[a.provider] += 1
    for provider, count in sorted(broken_as_provider.items()):
        recorded = reputation.get(state, provider).counts.broken
        assert recorded == count, f"{provider} broke {count} agreements, its reputation records {recorded}"


def disputer_gains_nothing(state) -> None:
    for a in agreements.all_agreements(state):
        for index, m in enumerate(a.milestones):
            if m.status is S.DEFAULTED and m.delivered_at and m.disputed_by == agreements.REQUESTER:
                assert m.to_requester == 0, \
                    f"agreement {a.id} milestone {index}: delivered, disputed, defaulted, refunded {m.to_requester}"


def rejections_are_ledger_errors(result) -> None:
    for t in result.txs:
        if not t.ok:
            assert (t.codespace, t.code) in KNOWN_CODES, f"unknown code {t.codespace}/{t.code}: {t.log}"
            assert t.log, f"rejection {t.codespace}/{t.code} without a log"


def due_work_capped(result, cap: int) -> int:
    """Check the block's ``due_queue`` events against the cap; return how many queues hit the cap."""
    reports = [e for e in result.events if getattr(type(e), "TYPE", "") == "due_queue"]
    assert reports, "the block reported no due_queue event"
    for e in reports:
        assert e.processed <= cap, f"queue {e.queue} processed {e.processed} items, the cap is {cap}"
        assert e.processed == cap or not e.more, f"queue {e.queue} stopped at {e.processed} < {cap} with more due"
    return sum(e.processed == cap for e in reports)


class CancelWatch:
    """Follow cancel proposals, deliveries and cancellations through transaction events in block order."""

    def __init__(self) -> None:
        self.delivered_since: dict[int, set[int]] = {}

    def observe(self, result) -> None:
        for t in result.txs:
            for e in t.events:
                self._event(e)
        for e in result.events:
            self._event(e)

    def _event(self, e) -> None:
        kind = getattr(type(e), "TYPE", "")
        if kind == "cancel_proposed":
            self.delivered_since[e.agreement_id] = set()
        elif kind == "milestone_delivered" and e.agreement_id in self.delivered_since:
            self.delivered_since[e.agreement_id].add(e.milestone)
        elif kind == "milestone_settled" and e.status == S.CANCELLED.value:
            late = self.delivered_since.get(e.agreement_id, set())
            assert e.milestone not in late or e.to_requester == 0, \
                f"agreement {e.agreement_id}: cancelling refunded milestone {e.milestone} delivered after the proposal"
        elif kind in ("agreement_settled", "cancel_withdrawn", "cancel_expired"):
            self.delivered_since.pop(e.agreement_id, None)


class ReplayWatch:
    """Remember executed transaction hashes; a success on an already executed hash is a replay."""

    def __init__(self) -> None:
        self.executed: set[bytes] = set()

    def observe(self, result) -> None:
        for t in result.txs:
            if t.ok:
                assert t.hash not in self.executed, f"transaction {t.hash.hex()} ({t.action}) succeeded twice"
            if t.ok or (t.signer and t.codespace != "tx"):
                self.executed.add(t.hash)
