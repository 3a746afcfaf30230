"""The adversarial economy: one TestChain, a cast of actors, invariants after every block.

``EconSim.block(draw, bursts, step)`` draws ``bursts`` actor moves (each one or
more transactions, see ``econ_actors`` and ``econ_orgs``) against a preview of
the block being built, signs them with the signer's next sequence (sometimes a
wrong one, sometimes a fee), now and then adds the bytes of an earlier
transaction (a replay), runs the block ``step`` seconds after the last and checks
every invariant of ``econ_invariants``.  ``EconSim.silence()`` lets everyone go
silent: blocks pass, each at the next due time, until escrow has drained, which
bounds how long any escrow can wait.

The genesis uses short windows (so every timer fires within a run), a network
organization (so the community pool has a spend path) and a small
``max_due_per_block`` (so bursts overflow it).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from hypothesis import strategies as st

from abci_app.chain.block import BlockInfo, execute_tx
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.agreements import keys as agreement_keys, state as agreements
from abci_app.chain.domain.market import params as market_params
from abci_app.chain.state.delta import Delta
from abci_app.chain.state import timers
from tests.domain.organizations.support import network_genesis
from tests.support import econ_invariants as inv, market_invariants, org_invariants
from tests.support.chain import TestChain
from tests.support.econ_actors import (ADDRESS, ADVERSARIES, BACKGROUND, DISPUTERS, EVERYONE, HONEST, SPAMMER,
                                       EconCtx)
from tests.support.econ_org_tools import (DELEGATING_ACTORS, ROLE_ACTORS, STREAM_ACTORS, SUBORG_ACTORS, RoleWatch,
                                          delegated_tallies_recount, roles_queue_exact, streams_add_up)
from tests.support.econ_orgs import ORG_ACTORS
from tests.support.market import DAY

CAP = 3
BALANCE = 50_000
WINDOWS = {"review_window": 2 * DAY, "arbitration_window": 3 * DAY, "reclaim_window": 4 * DAY,
           "max_offer_window": 10 * DAY, "max_delivery_window": 20 * DAY, "max_transfer_window": 10 * DAY,
           "reputation_half_life": 10 * DAY, "cancel_window": 2 * DAY, "max_project_items": 6}
STEPS = (1, 30, 600, 3_600, 6 * 3_600, DAY, 2 * DAY, 5 * DAY)
MOVES = ADVERSARIES * 2 + ORG_ACTORS * 3 + BACKGROUND + STREAM_ACTORS + DELEGATING_ACTORS + ROLE_ACTORS * 2 + SUBORG_ACTORS
NETWORK = HONEST[:2]
BACKGROUND_PEOPLE = list(HONEST + DISPUTERS + (SPAMMER,))


def market_section(cap: int = CAP) -> dict:
    """The genesis ``market`` section: short windows and the due cap (only fields the params know)."""
    names = {f.name for f in dataclasses.fields(market_params.MarketParams)}
    return {k: v for k, v in {**WINDOWS, "max_due_per_block": cap}.items() if k in names}


def new_chain(path: Path, cap: int = CAP) -> TestChain:
    """Everyone funded, short windows, the due cap, and a network organization of two honest people."""
    return TestChain(path, balances={k: BALANCE for k in EVERYONE},
                     extra_genesis={"market": market_section(cap), **network_genesis(*NETWORK, voting_period=60)})


class EconSim:
    def __init__(self, path: Path, cap: int = CAP) -> None:
        self.chain = new_chain(path, cap)
        self.cap = cap
        self.supply = BALANCE * len(EVERYONE)
        self.cancels = inv.CancelWatch()
        self.replays = inv.ReplayWatch()
        self.roles = RoleWatch(self.chain.state)
        self.history: list[bytes] = []
        self.blocks: list[tuple[int, list[bytes], bytes]] = []   # (time, txs, app hash) per block
        self.accepted: dict[str, int] = {}
        self.rejected: dict[tuple[str, int], int] = {}
        self.cap_hits = 0
        self.statuses: dict = {}
        self.seen: dict[str, int] = {}          # event type -> count, over transactions and END_BLOCK

    def block(self, draw, bursts: int, step: int):
        """Draw, run and check one block ``step`` seconds after the last.

        Moves are drawn against a preview of the block itself (its transactions so far
        run on an overlay of the committed state at the block's height and time), so
        each signer's next sequence is exact, a burst sees its own earlier effects and
        "now" is the block time the transactions will meet.
        """
        time = self.chain.time + step
        preview = Delta(self.chain.app.base)
        info = BlockInfo(self.chain.height + 1, time, self.chain.chain_id, b"\x01" * 20, self.chain.app.params,
                         self.chain.app.market)
        ctx = EconCtx(draw, preview, time, BACKGROUND_PEOPLE)
        txs: list[bytes] = []
        for _ in range(bursts):
            for signer, action in _as_list(ctx.one(MOVES)(ctx)):
                txs.append(self.sign(ctx, signer, action))
                execute_tx(preview, info, txs[-1])
        if self.history and draw(st.integers(0, 4)) == 0:
            txs.append(ctx.one(self.history))          # a replay of earlier bytes
        return self.run(txs, time)

    def sign(self, ctx, signer, action) -> bytes:
        """Sign with the signer's next sequence (one time in twenty a wrong one), now and then with a fee."""
        account = accounts.get(ctx.view, ADDRESS[signer])
        sequence = account.sequence if account else 0
        if ctx.draw(st.integers(0, 19)) == 0:
            sequence = max(sequence + ctx.one((-1, 1)), 0)
        return signer.sign_tx(self.chain.chain_id, sequence, action, fee=ctx.one((0, 0, 0, 1, 3)))

    def run(self, txs: list[bytes], time: int):
        result = self.chain.block(*txs, time=time)
        self.blocks.append((time, txs, result.app_hash))
        self.history.extend(txs)
        for e in [e for t in result.txs for e in t.events] + list(result.events):
            self.seen[e.TYPE] = self.seen.get(e.TYPE, 0) + 1
        for t in result.txs:
            if t.ok:
                self.accepted[t.action] = self.accepted.get(t.action, 0) + 1
            else:
                self.rejected[(t.codespace, t.code)] = self.rejected.get((t.codespace, t.code), 0) + 1
        self.check(result)
        return result

    def check(self, result) -> None:
        """Every invariant, after every block (``econ_invariants``)."""
        state, now = self.chain.state, self.chain.time
        inv.rejections_are_ledger_errors(result)
        inv.supply_conserved(state, self.supply)
        self._bookkeeping(state, now)
        inv.no_value_locked(state, now)
        inv.never_delivered_gets_nothing(state)
        inv.disputer_gains_nothing(state)
        inv.disputes_recorded(state)
        inv.reputation_is_paid_for(state)
        inv.windows_respected(state)
        self.cancels.observe(result)
        self.replays.observe(result)
        self.roles.observe(state, result, now)
        self.cap_hits += inv.due_work_capped(result, state, now, self.cap)

    def _bookkeeping(self, state, now: int) -> None:
        """The market and organization simulations' own invariants (module accounts, indexes, transitions)."""
        market_invariants.escrow_matches_open_agreements(state)
        market_invariants.bonds_match_open_disputes(state)
        market_invariants.project_budgets_add_up(state)
        market_invariants.nothing_stuck(state, now, self.cap)
        market_invariants.due_keys_point_at_open_objects(state)
        market_invariants.project_items_counted(state)
        org_invariants.check_organizations(state)
        streams_add_up(state, now)
        delegated_tallies_recount(state)
        roles_queue_exact(state)
        statuses = market_invariants.snapshot_statuses(state)
        market_invariants.check_transitions(self.statuses, statuses)
        self.statuses = statuses

    def silence(self) -> int:
        """Everyone goes silent: blocks at the next due time (or a second later while a backlog waits) until
        escrow is empty; return the blocks it took, at most one per open milestone plus one."""
        open_milestones = sum(m.open for a in agreements.all_agreements(self.chain.state) for m in a.milestones)
        for n in range(open_milestones + 2):
            if accounts.balance(self.chain.state, agreements.ESCROW) == 0:
                return n
            self.run([], max(self.chain.time + 1, _next_due(self.chain.state)))
        raise AssertionError(f"escrow still holds {accounts.balance(self.chain.state, agreements.ESCROW)} after "
                             f"{open_milestones + 2} silent blocks ({open_milestones} open milestones)")

    def close(self) -> None:
        self.chain.close()


def _as_list(moves) -> list:
    """Background generators return one ``(signer, action)``; actors return a list of them."""
    return [moves] if isinstance(moves, tuple) else list(moves)


def _next_due(state) -> int:
    """The earliest time in the milestones' due index (0 when it is empty)."""
    for key, _ in state.iter_prefix(agreement_keys.DUE_PREFIX):
        return timers.parse_time_key(agreement_keys.DUE_PREFIX, key)[0]
    return 0
