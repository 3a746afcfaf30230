"""Worst-case cost per message kind: every kind's largest valid transaction, timed through FinalizeBlock's path.

One chain (real ``LedgerApp`` on LMDB) walks a scenario in which each message kind
is sent once at its worst: the longest texts the params allow, 8 tags and 8
documents, 16 milestones, 100 members, 16 proposal actions, an offer accepted among
many, a project handed over with ``max_project_items`` items.  Each measured
transaction is run ``REPEAT`` times on a fresh fork of the block overlay with the
signature cache cleared (``block.execute_tx``: decode, verify, authenticate, handle),
then committed for real so the scenario moves on.  A kind that only an organization's
treasury may send (through a proposal) is measured as what a member's direct
transaction costs (refused) and, as a proposal action, inside the
``proposal execution`` row: the END_BLOCK that runs a proposal of 16 such actions.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import tempfile
import time
from pathlib import Path

from abci_app.chain import auth, block as block_mod, components
from abci_app.adapter.app import LedgerApp
from abci_app.chain.context import BlockInfo
from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements import messages as am, state as agreements
from abci_app.chain.domain.documents.messages import AttachDocument, PublishDocument
from abci_app.chain.domain.market import messages as mm
from abci_app.chain.domain.organizations import messages as om, state as orgs
from abci_app.chain.domain.projects import messages as pm
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote, WithdrawProposal
from abci_app.chain.domain.validators import messages as vm
from abci_app.chain.state.delta import Delta
from abci_app.adapter.storage.store import Store

CHAIN_ID = "bench-kinds"
START = 1_700_000_000
DAY = 86_400
REPEAT = 5
MEMO, TEXT = "m" * 256, "d" * 4096
TAGS = tuple(f"tag-{i}-" + "x" * 24 for i in range(8))


def key(n: int) -> Signer:
    return Signer(hashlib.sha256(b"bench-kinds-%d" % n).digest())


def doc(n) -> bytes:
    return hashlib.sha256(f"document {n}".encode()).digest()


R, P, A, M1, M2, T = (key(i) for i in range(6))
OTHERS = [key(100 + i) for i in range(98)]


class Walk:
    """A chain driven block by block; ``measure`` times one transaction before committing it."""

    def __init__(self, folder: Path) -> None:
        self.app = LedgerApp(Store(folder, map_size=8 << 30))
        funded = [R, P, A, M1, M2, T, *OTHERS]
        doc_ = {"accounts": [{"address": s.address, "balance": 10**12} for s in funded]}
        self.app.init_chain(CHAIN_ID, json.dumps(doc_).encode())
        self.time, self.seq, self.rows = START, {}, []
        self.block()

    def sign(self, signer: Signer, action) -> bytes:
        seq = self.seq.get(signer.address, 0)
        self.seq[signer.address] = seq + 1
        return signer.sign_tx(CHAIN_ID, seq, action)

    def block(self, *raws: bytes, time_: int | None = None):
        self.time = self.time + 5 if time_ is None else time_
        result = self.app.finalize_block(self.app.committed.height + 1, self.time, b"\x01" * 20, list(raws))
        self.app.commit()
        return result

    def run(self, signer: Signer, *actions):
        """Commit ``actions`` of one signer in one block (set-up); return the block result."""
        return self.block(*(self.sign(signer, a) for a in actions))

    def measure(self, label: str, signer: Signer, action, note: str = ""):
        raw = self.sign(signer, action)
        info = BlockInfo(self.app.committed.height + 1, self.time + 5, CHAIN_ID, b"\x01" * 20, self.app.params,
                         self.app.market)
        times = []
        for _ in range(REPEAT):
            auth._verified.clear()
            fork = Delta(self.app.base)
            began = time.perf_counter_ns()
            outcome = block_mod.execute_tx(fork, info, raw)   # no passed-check memo: checked afresh
            times.append((time.perf_counter_ns() - began) / 1e3)
        result = self.block(raw)
        self.rows.append({"kind": type(action).__name__, "label": label, "bytes": len(raw), "us": statistics.median(times),
                          "max_us": max(times), "code": f"{outcome.codespace}/{outcome.code}" if outcome.code else "ok",
                          "note": note})
        return result

    def measure_end_block(self, label: str, when: int, note: str) -> None:
        info = BlockInfo(self.app.committed.height + 1, when, CHAIN_ID, b"\x01" * 20, self.app.params, self.app.market)
        times = []
        for _ in range(REPEAT):
            fork = Delta(self.app.base)
            began = time.perf_counter_ns()
            for hook in components.END_BLOCK:
                hook(fork, info)
            times.append((time.perf_counter_ns() - began) / 1e3)
        self.block(time_=when)
        self.rows.append({"kind": "(END_BLOCK)", "label": label, "bytes": 0, "us": statistics.median(times),
                          "max_us": max(times), "code": "ok", "note": note})


def event_id(result, name: str) -> int:
    for outcome in result.txs:
        for e in outcome.events:
            if hasattr(e, name):
                return getattr(e, name)
    raise AssertionError(f"no event with {name}: {[(t.code, t.log) for t in result.txs]}")


def milestones(deadline: int, n: int = 16, amount: int = 10) -> tuple:
    return tuple(mm.MilestoneSpec(f"part {i} " + "t" * 240, amount, deadline) for i in range(n))


def organizations(w: Walk) -> None:
    members = tuple(om.OrgMember(s.address, 1) for s in (M1, M2, *OTHERS))
    policy = om.OrgPolicy(om.THRESHOLD, 2, 3_600, 60, True)
    w.measure("100 members, longest name and purpose", M1, om.CreateOrganization(MEMO, TEXT, members, policy))
    org_id = orgs.next_id(w.app.base) - 1
    treasury = orgs.treasury_address(org_id)
    w.run(M1, Transfer(treasury, 10**9, ""))
    for kind in (om.UpdateMembers(org_id, members), om.UpdatePolicy(org_id, policy), om.SweepTreasury(org_id),
                 om.GrantFeeAllowance(org_id, T.address, 1_000, w.time + DAY), om.RevokeFeeAllowance(org_id, T.address),
                 vm.SpendCommunityPool(T.address, 1, MEMO), vm.UpdateMarketParams((vm.MarketParamChange("review_window", 3_600),)),
                 vm.UpdateValidator(b"\x01" * 32, 10)):
        w.measure("sent directly by a member (treasury-only: refused)", M1, kind)
    actions = tuple(Transfer(OTHERS[i].address, 1, MEMO) for i in range(16))
    first = event_id(w.measure("16 actions, longest title and description", M1,
                               SubmitProposal(org_id, MEMO, TEXT, actions)), "proposal_id")
    w.measure("a vote, longest reason", M1, Vote(first, YES, MEMO))
    w.measure("the deciding vote (passes the proposal)", M2, Vote(first, YES, ""))
    w.measure_end_block("proposal execution", w.time + 60, "one passed proposal running 16 transfers")
    again = event_id(w.run(M1, SubmitProposal(org_id, "again", "", (Transfer(T.address, 1, ""),))), "proposal_id")
    w.measure("before any vote", M1, WithdrawProposal(again))
    w.measure("longest memo", R, Transfer(P.address, 1, MEMO))
    w.measure("a member leaves", M2, om.LeaveOrganization(org_id))


def market_and_projects(w: Walk) -> None:
    w.measure("longest title and uri", R, PublishDocument(doc(0), MEMO, "text/markdown", "u" * 1024, b""))
    w.run(R, *(PublishDocument(doc(i), "doc", "text/plain", "", b"") for i in range(1, 10)))
    project = event_id(w.measure("longest texts", R, pm.CreateProject(MEMO, TEXT, 10**8)), "project_id")
    w.measure("to a project (counted item)", R, AttachDocument(doc(9), "project", project))
    w.measure("a project member funds", P, pm.FundProject(project, 1_000))
    w.measure("uncommitted budget", R, pm.WithdrawProjectBudget(project, 1_000))
    post = mm.PostRequest(MEMO, TEXT, TAGS, 10**6, w.time + 30 * DAY, tuple(doc(i) for i in range(1, 9)), project)
    request = event_id(w.measure("8 tags, 8 documents, longest texts, in a project", R, post), "request_id")
    offer = mm.MakeOffer(request, 160, w.time + 60 * DAY, milestones(w.time + 60 * DAY), doc(0), A.address)
    chosen = event_id(w.measure("16 milestones, terms, arbiter", P, offer), "offer_id")
    w.run(T, *(mm.MakeOffer(request, 160, w.time + 60 * DAY, milestones(w.time + 60 * DAY)) for _ in range(300)))
    w.measure("withdraw one of many", T, mm.WithdrawOffer(chosen + 1))
    agreement = event_id(w.measure("one of 300 offers, 16 milestones, project-funded", R, mm.AcceptOffer(chosen)),
                         "agreement_id")
    standing = event_id(w.measure("longest texts, 8 tags, terms, arbiter", P,
                                  mm.PublishStandingOffer(MEMO, TEXT, TAGS, 500, 30 * DAY, doc(0), A.address)),
                        "standing_offer_id")
    w.measure("paid from a project", R, mm.TakeStandingOffer(standing, project))
    w.measure("withdrawn", P, mm.WithdrawStandingOffer(standing))
    other = event_id(w.run(R, mm.PostRequest("x", "", (), 0, w.time + DAY, (), 0)), "request_id")
    w.measure("no offers", R, mm.WithdrawRequest(other))
    agreement_steps(w, agreement)
    w.run(R, *(mm.PostRequest("filler", "", (), 0, w.time + 30 * DAY, (), project) for _ in range(120)))
    w.measure("to a target", R, pm.OfferProject(project, M1.address, w.time + DAY))
    w.measure("withdrawn", R, pm.WithdrawProjectOffer(project))
    w.run(R, pm.OfferProject(project, T.address, w.time + DAY))
    w.measure("a full project (max_project_items) handed over", T, pm.AcceptProject(project))


def agreement_steps(w: Walk, agreement: int) -> None:
    w.measure("delivery hash", P, am.DeliverMilestone(agreement, 0, doc(20)))
    w.measure("accept one of 16", R, am.AcceptMilestone(agreement, 0))
    w.run(P, am.DeliverMilestone(agreement, 1, doc(21)))
    w.measure("requester disputes a delivered milestone", R, am.DisputeMilestone(agreement, 1, doc(22)))
    w.measure("arbiter splits", A, am.ResolveDispute(agreement, 1, 5_000))
    w.measure("undelivered before its deadline (refused)", R, am.ReclaimMilestone(agreement, 2))
    revision = agreements.get(w.app.base, agreement).revision      # a cancel names the revision its signer saw
    w.measure("proposed by one party", R, am.CancelAgreement(agreement, revision))
    w.measure("confirmed by the other: 13 milestones settle", P, am.CancelAgreement(agreement, revision + 1))
    w.measure("a settled agreement", R, am.RateAgreement(agreement, 5, doc(23)))


def measure() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="samen-kinds-") as tmp:
        w = Walk(Path(tmp))
        organizations(w)
        market_and_projects(w)
        w.app.store.close()
    return w.rows


def table(rows: list[dict]) -> list[str]:
    """Markdown: one row per measured transaction, then the kinds the walk did not reach."""
    lines = ["Per message kind (worst-case-sized transaction; µs = median of "
             f"{REPEAT} runs with the signature cache cleared; max of those runs beside it):", "",
             "| kind | case | bytes | µs per tx | max µs | µs per byte | outcome |", "|---|---|---:|---:|---:|---:|---|"]
    for r in rows:
        per_byte = f"{r['us'] / r['bytes']:.2f}" if r["bytes"] else "–"
        lines.append(f"| {r['kind']} | {r['label']}{' — ' + r['note'] if r['note'] else ''} | {r['bytes']:,} | "
                     f"{r['us']:,.0f} | {r['max_us']:,.0f} | {per_byte} | {r['code']} |")
    missing = sorted(k.__name__ for k in components.ROUTER if k.__name__ not in {r["kind"] for r in rows})
    if missing:
        lines += ["", f"Not reached by the walk: {', '.join(missing)}."]
    return lines
