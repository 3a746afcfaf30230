"""A realistic collaboration mix for the in-process benchmark: the whole loop, many cohorts at once.

Each cohort is a requester R (who is also a member of a three-member organization),
two providers P1/P2 and two more members M1/M2.  Over six blocks every cohort does:

    1  R posts a request; M1 proposes a treasury payment; P1, P2 transfer
    2  P1, P2 make offers; M1, M2 vote yes (the proposal passes and executes)
    3  R accepts P1's offer (the price goes into escrow); M1, M2, P2 transfer
    4  P1 delivers; M1, M2 transfer
    5  R accepts the milestone (escrow paid out, reputation and friction updated)
    6  R and P1 rate each other

18 transactions per cohort: 7 transfers, 1 proposal, 2 votes, 1 request, 2 offers and 5
agreement steps.  Every transaction is signed before the clock starts for its block, and
every one must succeed (ids are predicted from the chain's counters, so a failure is a
bug in this workload and stops the run).
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from abci_app.adapter.app import LedgerApp
from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements.messages import AcceptMilestone, DeliverMilestone, RateAgreement
from abci_app.chain.domain.market.messages import AcceptOffer, MakeOffer, PostRequest
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import THRESHOLD, CreateOrganization, OrgMember, OrgPolicy
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.adapter.storage.store import Store

CHAIN_ID = "bench-mix"
START = 1_700_000_000
DAY = 86_400
PHASES = 6


class Cohort:
    def __init__(self, index: int) -> None:
        seed = lambda role: Signer(hashlib.sha256(b"mix-%d-%s" % (index, role)).digest())  # noqa: E731
        self.r, self.p1, self.p2, self.m1, self.m2 = (seed(x) for x in (b"r", b"p1", b"p2", b"m1", b"m2"))
        self.index = index
        # The ids of the cohort's objects.  In-process they are predicted from the chain's counters
        # (cohort i owns org, request, proposal and agreement i+1 and offers 2i+1, 2i+2); the
        # end-to-end run (``bench.e2e_mix``) sets them from the order the chain executed each phase.
        n = index + 1
        self.org = self.request = self.proposal = self.agreement = n
        self.offer = 2 * n - 1      # P1's offer, the one R accepts
        self.treasury = ""

    def people(self) -> list[Signer]:
        return [self.r, self.p1, self.p2, self.m1, self.m2]


class Mix:
    """Builds each block's signed transactions from the phase and the predicted object ids."""

    def __init__(self, cohorts: int) -> None:
        self.cohorts = [Cohort(i) for i in range(cohorts)]
        self.sequences: dict[str, int] = {}

    def sign(self, signer: Signer, action) -> bytes:
        seq = self.sequences.get(signer.address, 0)
        self.sequences[signer.address] = seq + 1
        return signer.sign_tx(CHAIN_ID, seq, action)

    def block(self, phase: int, now: int) -> list[bytes]:
        txs: list[bytes] = []
        for c in self.cohorts:
            txs.extend(self.sign(signer, action) for signer, action in self.steps(c, phase, now))
        return txs

    def steps(self, c: Cohort, phase: int, now: int) -> list:
        """The cohort's ``(signer, action)`` pairs of ``phase`` (1-6), with block time about ``now``."""
        pay = lambda a, b, amount=3: (a, Transfer(b.address, amount))  # noqa: E731
        if phase == 1:
            request = PostRequest(f"train volunteers {c.index + 1}", "first aid course", ("first-aid",), 500,
                                  now + 3 * DAY)
            proposal = SubmitProposal(c.org, "pay the venue", "", (Transfer(c.p2.address, 7),))
            return [(c.r, request), (c.m1, proposal), pay(c.p1, c.m1), pay(c.p2, c.m2)]
        if phase == 2:
            offers = [(p, MakeOffer(c.request, 400 + i, now + 5 * DAY)) for i, p in enumerate((c.p1, c.p2))]
            return offers + [(c.m1, Vote(c.proposal, YES)), (c.m2, Vote(c.proposal, YES))]
        if phase == 3:
            return [(c.r, AcceptOffer(c.offer)), pay(c.m1, c.r), pay(c.m2, c.r), pay(c.p2, c.p1)]
        if phase == 4:
            delivered = DeliverMilestone(c.agreement, 0, hashlib.sha256(b"certificate %d" % c.agreement).digest())
            return [(c.p1, delivered), pay(c.m1, c.p2), pay(c.m2, c.p2)]
        if phase == 5:
            return [(c.r, AcceptMilestone(c.agreement, 0))]
        return [(c.r, RateAgreement(c.agreement, 5)), (c.p1, RateAgreement(c.agreement, 4))]

    def create_org(self, c: Cohort) -> tuple:
        """The cohort's organization: R, M1 and M2 with weight 1 each, two yes votes decide."""
        members = tuple(OrgMember(p.address, 1) for p in (c.r, c.m1, c.m2))
        return c.r, CreateOrganization(f"cohort {c.index}", "first aid", members, OrgPolicy(THRESHOLD, 2, DAY, 0))


def setup(folder: Path, mix: Mix) -> LedgerApp:
    """Genesis with every person funded, then (untimed) one block creating and funding the organizations."""
    app = LedgerApp(Store(folder, map_size=4 << 30))
    people = [p for c in mix.cohorts for p in c.people()]
    app.init_chain(CHAIN_ID, json.dumps({"accounts": [{"address": p.address, "balance": 10**9} for p in people]}).encode())
    create = [mix.sign(*mix.create_org(c)) for c in mix.cohorts]
    _commit(app, 1, START, create)
    for c in mix.cohorts:
        c.treasury = orgs.get(app.base, c.index + 1).treasury
    _commit(app, 2, START + 5, [mix.sign(c.r, Transfer(c.treasury, 1_000)) for c in mix.cohorts])
    return app


def _commit(app: LedgerApp, height: int, now: int, txs: list[bytes]) -> float:
    start = time.perf_counter()
    result = app.finalize_block(height, now, b"\x01" * 20, txs)
    app.commit()
    elapsed = time.perf_counter() - start
    bad = [(t.codespace, t.code, t.log) for t in result.txs if not t.ok]
    assert not bad, f"mix workload transaction rejected at height {height}: {bad[:3]}"
    return elapsed


def run(folder: Path, cohorts: int) -> tuple[int, float]:
    """Return (transactions, seconds of FinalizeBlock+Commit) for the six mixed blocks."""
    mix = Mix(cohorts)
    app = setup(folder, mix)
    count, seconds = 0, 0.0
    try:
        for phase in range(1, PHASES + 1):
            now = START + 10 + 5 * phase
            txs = mix.block(phase, now)          # signed before the clock starts
            seconds += _commit(app, 2 + phase, now, txs)
            count += len(txs)
    finally:
        app.close()
        app.store.close()
    return count, seconds
