"""The transactions in ``docs/test-vectors.json``: at least one per action kind, each one a
node accepts statelessly (valid fields), so a client in another language can check its
encoder against every message shape: nested messages, repeated fields, nested actions,
bytes, booleans and fields numbered past 15.

Keys are deterministic (seed = SHA-256 of a fixed label); ``scripts/make_test_vectors.py``
writes the file and ``tests/unit/test_vectors.py`` checks that every kind in
``abci_app.chain.messages.KINDS`` has a case here.
"""

from __future__ import annotations

import hashlib
from typing import Any

from abci_app.tools.client.signer import Signer
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.agreements import messages as ag
from abci_app.chain.domain.delegation import messages as dl
from abci_app.chain.domain.documents import messages as docs
from abci_app.chain.domain.market import messages as mk
from abci_app.chain.domain.organizations import messages as org
from abci_app.chain.domain.projects import messages as pj
from abci_app.chain.domain.proposals import messages as pr
from abci_app.chain.domain.roles import messages as rl
from abci_app.chain.domain.streams import messages as st
from abci_app.chain.domain.suborgs import messages as so
from abci_app.chain.domain.upgrades import messages as upg
from abci_app.chain.domain.validators import messages as val


def signer(label: str) -> Signer:
    return Signer(hashlib.sha256(f"samen/test-vector/{label}".encode()).digest())


ALICE, BOB, CAROL = signer("alice"), signer("bob"), signer("carol")
KEYS = (("alice", ALICE), ("bob", BOB), ("carol", CAROL))
T0 = 1_767_225_600                                       # 2026-01-01T00:00:00Z
DOC = hashlib.sha256(b"samen/test-vector/document").digest()
POLICY = org.OrgPolicy(kind=org.PERCENTAGE, threshold=5001, voting_period=86_400, min_delay=0, exit_right=True)


def _case(name: str, key: tuple[str, Signer], action: Any, sequence: int = 1, fee: int = 1,
          fee_payer: str = "") -> dict:
    return dict(name=name, signer=key, sequence=sequence, fee=fee, fee_payer=fee_payer, action=action)


def transfer_cases() -> list[dict]:
    """The four transfer vectors the file has always had (unchanged bytes)."""
    a, b, c = KEYS
    return [
        _case("transfer", a, Transfer(BOB.address, 1000, ""), sequence=0, fee=0),
        _case("transfer-with-memo-and-fee", a, Transfer(BOB.address, 250, "koffie ☕ voor het team"), sequence=7, fee=2),
        _case("transfer-of-the-maximum-amount", b, Transfer(CAROL.address, (1 << 63) - 1, ""), sequence=300),
        _case("transfer-with-fee-payer", c, Transfer(ALICE.address, 1, "sponsored"), sequence=3, fee=5,
              fee_payer=ALICE.address),
    ]


def organization_cases() -> list[dict]:
    a, b, _ = KEYS
    members = (org.OrgMember(ALICE.address, 2), org.OrgMember(BOB.address, 1))
    pay = Transfer(CAROL.address, 500, "milestone 1")
    return [
        _case("create-organization", a, org.CreateOrganization("Buurtmoestuin", "A shared garden", members, POLICY)),
        _case("submit-proposal-with-two-actions", a, pr.SubmitProposal(
            1, "Pay Carol and accept her offer", "Both at once", (pay, mk.AcceptOffer(4)))),
        _case("vote-yes-with-reason", b, pr.Vote(1, pr.YES, "good plan")),
        _case("vote-abstain", b, pr.Vote(2, pr.ABSTAIN, "")),
        _case("withdraw-proposal", a, pr.WithdrawProposal(1)),
        _case("leave-organization", b, org.LeaveOrganization(1)),
        _case("update-members", a, org.UpdateMembers(1, (org.OrgMember(CAROL.address, 1),
                                                         org.OrgMember(BOB.address, 0)))),
        _case("update-policy", a, org.UpdatePolicy(1, org.OrgPolicy(org.THRESHOLD, 2, 3600, 60, False))),
        _case("grant-fee-allowance", a, org.GrantFeeAllowance(1, CAROL.address, 50, T0 + 86_400)),
        _case("revoke-fee-allowance", a, org.RevokeFeeAllowance(1, CAROL.address)),
        _case("sweep-treasury", a, org.SweepTreasury(1)),
    ]


def market_cases() -> list[dict]:
    a, b, c = KEYS
    milestones = (mk.MilestoneSpec("Design", 400, T0 + 7 * 86_400), mk.MilestoneSpec("Build", 600, T0 + 14 * 86_400))
    return [
        _case("publish-document", a, docs.PublishDocument(DOC, "Garden plan", "application/pdf",
                                                          "https://example.org/plan.pdf", b"")),
        _case("attach-document", a, docs.AttachDocument(DOC, "request", 3)),
        _case("post-request", a, mk.PostRequest("Build raised beds", "Four beds of larch", ("garden", "wood"),
                                                1000, T0 + 3 * 86_400, (DOC,), 0)),
        _case("withdraw-request", a, mk.WithdrawRequest(3)),
        _case("make-offer-with-milestones-and-arbiter", c, mk.MakeOffer(
            3, 1000, T0 + 14 * 86_400, milestones, DOC, BOB.address)),
        _case("withdraw-offer", c, mk.WithdrawOffer(4)),
        _case("accept-offer", a, mk.AcceptOffer(4)),
        _case("publish-standing-offer", c, mk.PublishStandingOffer(
            "Bike repair", "Any city bike", ("bikes",), 35, 2 * 86_400, b"", "")),
        _case("withdraw-standing-offer", c, mk.WithdrawStandingOffer(2)),
        _case("take-standing-offer-for-a-project", a, mk.TakeStandingOffer(2, 5)),
    ]


def agreement_cases() -> list[dict]:
    a, b, c = KEYS
    return [
        _case("deliver-milestone", c, ag.DeliverMilestone(7, 0, DOC)),
        _case("accept-milestone", a, ag.AcceptMilestone(7, 0)),
        _case("reclaim-milestone", a, ag.ReclaimMilestone(7, 1)),
        _case("dispute-milestone", a, ag.DisputeMilestone(7, 1, DOC)),
        _case("resolve-dispute", b, ag.ResolveDispute(7, 1, 2500)),
        _case("cancel-agreement-at-revision", a, ag.CancelAgreement(7, 4, False)),
        _case("cancel-agreement-withdraw", a, ag.CancelAgreement(7, 0, True)),
        _case("rate-agreement", a, ag.RateAgreement(7, 5, DOC)),
    ]


def project_and_network_cases() -> list[dict]:
    a, b, _ = KEYS
    return [
        _case("create-project", a, pj.CreateProject("Garden 2027", "Beds, shed and water", 5000)),
        _case("fund-project", a, pj.FundProject(5, 1500)),
        _case("withdraw-project-budget", a, pj.WithdrawProjectBudget(5, 500)),
        _case("offer-project", a, pj.OfferProject(5, BOB.address, T0 + 86_400)),
        _case("withdraw-project-offer", a, pj.WithdrawProjectOffer(5)),
        _case("accept-project", b, pj.AcceptProject(5)),
        _case("update-validator", a, val.UpdateValidator(hashlib.sha256(b"validator").digest(), 10)),
        _case("spend-community-pool", a, val.SpendCommunityPool(BOB.address, 100, "grant")),
        _case("update-market-params", a, val.UpdateMarketParams((val.MarketParamChange("dispute_bond_bps", 500),))),
        _case("schedule-upgrade", a, upg.ScheduleUpgrade("v2", 120_000, "release notes at example.org")),
        _case("cancel-upgrade", a, upg.CancelUpgrade("v2")),
    ]


def org_tool_cases() -> list[dict]:
    """Streams (and the other organization tools, proto fields 120-149)."""
    a, b, _ = KEYS
    return [
        _case("create-stream-monthly-with-total", a, st.CreateStream(BOB.address, 250, 30 * 86_400, T0, 0, 3000)),
        _case("create-stream-until-an-end", a, st.CreateStream(CAROL.address, 10, 86_400, 0, T0 + 90 * 86_400, 0)),
        _case("claim-stream", b, st.ClaimStream(1)),
        _case("stop-stream", a, st.StopStream(1)),
        _case("delegate-vote-for-a-tag", b, dl.DelegateVote(1, ALICE.address, "finance")),
        _case("revoke-delegation", b, dl.RevokeDelegation(1, "")),
        _case("grant-role", a, rl.GrantRole(1, "coordinator", BOB.address, ("accept_offer", "transfer"), 500,
                                            30 * 86_400, T0 + 365 * 86_400)),
        _case("revoke-role", a, rl.RevokeRole(1, "coordinator")),
        _case("act-as-role-accepting-an-offer", b, rl.ActAsRole(1, "coordinator", mk.AcceptOffer(4))),
        _case("create-sub-organization", a, so.CreateSubOrganization(
            1, "Buurt Noord", "The north side", (org.OrgMember(CAROL.address, 1),), POLICY, 1_000, 7 * 86_400)),
        _case("veto-proposal", a, so.VetoProposal(9, "outside the budget")),
        _case("dissolve-sub-organization", a, so.DissolveSubOrganization(2)),
        _case("submit-tagged-proposal", a, pr.SubmitProposal(1, "Budget 2027", "", (Transfer(CAROL.address, 5, ""),),
                                                             ("finance", "garden"))),
    ]


def cases() -> list[dict]:
    """Every vector: name, signer (label, key), sequence, fee, fee payer, action."""
    return (transfer_cases() + organization_cases() + market_cases() + agreement_cases()
            + project_and_network_cases() + org_tool_cases())
