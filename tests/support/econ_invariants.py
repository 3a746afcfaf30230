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
* ``disputes_recorded``: records count the disputes each party opened, and a
  defaulted dispute as lost by both parties.
* ``reputation_is_paid_for``: nobody holds more reputation than the gain caps of
  its settled agreements allow, so all reputation held is paid for in deal fees.
* ``disputer_gains_nothing``: a delivered milestone disputed and left to the
  no-arbiter default pays the disputing requester nothing back.
* ``windows_respected``: deliveries, disputes and arbiters' splits happened inside
  their windows (the handlers check the block time, so a transaction in the block
  that reaches a due time cannot slip in before END_BLOCK settles it).
* ``due_work_capped``: no time-driven queue processes more than the cap in a
  block, and none processes fewer while items it could process are waiting.
* ``rejections_are_ledger_errors``: a rejected transaction carries a known
  ``(codespace, code)`` and a log (a crash would have raised out of the block).
* ``CancelWatch``: confirming a cancel never refunds a milestone delivered after
  the proposal (followed through the transactions' events, in order).
* ``ReplayWatch``: signed bytes that were executed once (succeeded, or failed after
  authentication, which charges the fee and consumes the sequence) never succeed again.
"""

from __future__ import annotations

from collections import Counter

from abci_app.chain import errors
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import keys as agreement_keys, settle, state as agreements
from abci_app.chain.domain.agreements.state import MilestoneStatus as S
from abci_app.chain.domain.market import keys as market_keys, params as market_params
from abci_app.chain.domain.projects import keys as project_keys
from abci_app.chain.domain.proposals import keys as proposal_keys
from abci_app.chain.domain.reputation import state as reputation
from abci_app.chain.domain.roles import keys as role_keys
from abci_app.chain.state import timers
from tests.support import exits, market_invariants

KNOWN_CODES = frozenset((cls.codespace, cls.code) for cls in errors.all_error_classes())


def supply_conserved(state, genesis_supply: int) -> None:
    market_invariants.no_negative_balance(state)
    total = sum(a.balance for _, a in accounts.all_accounts(state))
    assert accounts.supply(state) == genesis_supply, f"supply is {accounts.supply(state)}, genesis had {genesis_supply}"
    assert total == genesis_supply, f"balances add up to {total}, genesis supply is {genesis_supply}"


def no_value_locked(state, now: int) -> None:
    locked = exits.locked_value(state, now)
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


def disputes_recorded(state) -> None:
    """Records count disputes: each party's opened disputes exactly, and a dispute no arbiter settled
    (defaulted) as lost by both parties (so neither can dispute, or provoke a dispute, without a mark)."""
    opened: Counter = Counter()
    defaulted: Counter = Counter()
    for a in agreements.all_agreements(state):
        if not a.settled:
            continue
        for m in a.milestones:
            if m.disputed_by:
                opened[a.provider if m.disputed_by == agreements.PROVIDER else a.requester] += 1
            if m.status is S.DEFAULTED:
                defaulted[a.provider] += 1
                defaulted[a.requester] += 1
    for address in sorted(set(opened) | set(defaulted)):
        counts = reputation.get(state, address).counts
        assert counts.disputes_opened == opened[address], \
            f"{address} opened {opened[address]} disputes, its record says {counts.disputes_opened}"
        assert counts.disputes_lost >= defaulted[address], \
            f"{address} was party to {defaulted[address]} defaulted disputes, its record has {counts.disputes_lost} lost"


def reputation_is_paid_for(state) -> None:
    """No address holds more reputation than the gain caps of the settled agreements it was party to, so the
    points all parties hold never exceed the deals' fees over ``reputation_fee_per_point`` (farming costs fees)."""
    caps: Counter = Counter()
    fees = 0
    for a in agreements.all_agreements(state):
        if a.settled:
            cap = settle.gain_cap(market_params.get(state), a)
            caps[a.provider] += cap
            caps[a.requester] += cap
            fees += a.fees
    held = 0
    for address, _ in accounts.all_accounts(state):
        score = reputation.get(state, address).score
        assert score <= caps[address], f"{address} holds {score} milli-points, its agreements allow {caps[address]}"
        held += max(score, 0)
    per_point = market_params.get(state).reputation_fee_per_point
    assert held * per_point <= fees * reputation.MILLI, f"{held} milli-points held, deals paid only {fees} in fees"


def disputer_gains_nothing(state) -> None:
    for a in agreements.all_agreements(state):
        for index, m in enumerate(a.milestones):
            if m.status is S.DEFAULTED and m.delivered_at and m.disputed_by == agreements.REQUESTER:
                assert m.to_requester == 0, \
                    f"agreement {a.id} milestone {index}: delivered, disputed, defaulted, refunded {m.to_requester}"


def windows_respected(state) -> None:
    """Time windows hold whatever the order of transactions and END_BLOCK in a block (checked in the handlers):
    no delivery at or after deadline + reclaim window, no dispute at or after the end of the review window,
    no arbiter's split at or after the end of the arbitration window."""
    p = market_params.get(state)
    for a in agreements.all_agreements(state):
        for index, m in enumerate(a.milestones):
            where = f"agreement {a.id} milestone {index}"
            if m.delivered_at:
                assert m.delivered_at < m.deadline + p.reclaim_window, \
                    f"{where} delivered at {m.delivered_at}, after its reclaim time {m.deadline + p.reclaim_window}"
            if m.disputed_at and m.delivered_at:
                assert m.disputed_at < m.delivered_at + p.review_window, \
                    f"{where} disputed at {m.disputed_at}, after its review window ended"
            if m.status is S.RESOLVED:
                assert m.settled_at < m.disputed_at + p.arbitration_window, \
                    f"{where} resolved at {m.settled_at}, after its arbitration window ended"


def rejections_are_ledger_errors(result) -> None:
    for t in result.txs:
        if not t.ok:
            assert (t.codespace, t.code) in KNOWN_CODES, f"unknown code {t.codespace}/{t.code}: {t.log}"
            assert t.log, f"rejection {t.codespace}/{t.code} without a log"


TIMED_SETTLEMENTS = frozenset({S.RECLAIMED.value, S.RELEASED.value, S.DEFAULTED.value})
QUEUES = (("requests", market_keys.DUE_PREFIX), ("milestones", agreement_keys.DUE_PREFIX),
          ("transfer_offers", project_keys.DUE_PREFIX), ("proposal_votes", proposal_keys.VOTING_ENDS),
          ("roles", role_keys.EXPIRY_PREFIX))
# (queue, time index).  Not ``proposal_executions``: a proposal passed by an action that
# END_BLOCK runs is indexed at the block's time and runs in the next block without the queue being full.


def due_work_capped(result, state, now: int, cap: int) -> int:
    """Check the block's time-driven work against the cap; return how many queues processed exactly ``cap``.

    From the app's own ``due_queue`` reports: no queue processed more than ``cap``, and
    one that processed fewer has nothing left waiting.  Independently of them: the
    block settled at most ``cap`` milestones by time and expired at most ``cap``
    requests, and whatever is due but still waiting in a queue's time index after
    the block is reported as ``more`` by that queue, which used its whole cap.
    """
    reports = {e.queue: e for e in result.events if getattr(type(e), "TYPE", "") == "due_queue"}
    for e in reports.values():
        assert e.processed <= cap, f"queue {e.queue} processed {e.processed} items, the cap is {cap}"
        assert e.processed == cap or not e.more, f"queue {e.queue} stopped at {e.processed} < {cap} with more due"
    kinds = [(getattr(type(e), "TYPE", ""), getattr(e, "status", "")) for e in result.events]
    expired = sum(k == ("request_closed", "expired") for k in kinds)
    settled = sum(k[0] == "milestone_settled" and k[1] in TIMED_SETTLEMENTS for k in kinds)
    assert expired <= cap, f"{expired} requests expired in one block, the cap is {cap}"
    assert settled <= cap, f"{settled} milestones settled by time in one block, the cap is {cap}"
    for queue, prefix in QUEUES:
        report = reports.get(queue)
        if _waiting(state, prefix, now):
            assert report is not None and report.more and report.processed == cap, \
                f"items of queue {queue} are due and waiting, but the block reported {report}"
        else:
            assert report is None or not report.more, f"queue {queue} reports more, but nothing due is waiting"
    return sum(e.processed == cap for e in reports.values())


def _waiting(state, prefix: bytes, now: int) -> bool:
    """Whether the time index under ``prefix`` holds an entry due at or before ``now``."""
    for key, _ in state.iter_prefix(prefix):
        return timers.split_time_key(prefix, key)[0] <= now
    return False


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
            if t.ok or t.charged:
                self.executed.add(t.hash)
