"""Hypothesis: a vetoed child proposal never executes, and dissolving a parent or a child leaves no value locked.

A parent founds children with budgets; children propose payments and projects;
the parent vetoes some (early, late, twice), dissolves children, and its own
members walk out (dissolving the parent).  After every block the exit checker
finds nothing locked, and no proposal that was ever vetoed has an execution event.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import (CreateOrganization, LeaveOrganization, OrgMember,
                                                          SweepTreasury)
from abci_app.chain.domain.projects.messages import CreateProject
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.events import ProposalExecuted
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from abci_app.chain.domain.suborgs import state as suborgs
from abci_app.chain.domain.suborgs.events import ProposalVetoed
from abci_app.chain.domain.suborgs.messages import CreateSubOrganization, DissolveSubOrganization, VetoProposal
from tests.domain.organizations.support import network_genesis, threshold
from tests.support.chain import TestChain, key
from tests.support.exits import locked_value

BOSS, KIDS = key(150), (key(151), key(152))
WINDOW = 300
QUICK = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SEEN = {"vetoed": 0, "executed": 0}

step = st.tuples(st.sampled_from(("child", "child", "child_propose", "child_propose", "veto", "veto",
                                  "dissolve_child", "parent_leaves", "sweep", "wait")),
                 st.integers(0, 50), st.sampled_from((1, 10, WINDOW // 2, 2 * WINDOW)))


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    c = TestChain(tmp_path_factory.mktemp("suborgs") / "db", balances={k: 10**8 for k in (BOSS, *KIDS)},
                  extra_genesis=network_genesis(key(153)))   # the community pool has a spender
    c.block()
    yield c
    c.close()


def _parent_tx(chain, parent: int, action) -> list[bytes]:
    pid = proposals.next_id(chain.state)
    return [chain.tx(BOSS, SubmitProposal(parent, "parent", "", (action,))), chain.tx(BOSS, Vote(pid, YES))]


def _txs(chain, parent: int, kind: str, n: int) -> list[bytes]:
    children = suborgs.children(chain.state, parent)
    live = [c for c in children if orgs.require(chain.state, c).status == orgs.ACTIVE]
    if kind == "child":
        members = (OrgMember(KIDS[n % 2].address, 1),)
        return _parent_tx(chain, parent, CreateSubOrganization(parent, "kid", "", members, threshold(1, min_delay=0),
                                                               100 * (n % 7), WINDOW))
    if kind == "child_propose" and live:
        child = live[n % len(live)]
        member = KIDS[0] if orgs.weight_of(orgs.require(chain.state, child).members, KIDS[0].address) else KIDS[1]
        action = CreateProject("p", "", n) if n % 3 == 0 else Transfer(member.address, n)
        pid = proposals.next_id(chain.state)
        return [chain.tx(member, SubmitProposal(child, "kid", "", (action,))), chain.tx(member, Vote(pid, YES))]
    theirs = [p for c in children for p in proposals.of_org(chain.state, c)]
    waiting = [p for p in theirs if p.status in (proposals.VOTING, proposals.PASSED)]
    if kind == "veto" and waiting and n % 5:
        return _parent_tx(chain, parent, VetoProposal(waiting[n % len(waiting)].id))
    if kind == "veto" and theirs:                        # also late, or twice
        return _parent_tx(chain, parent, VetoProposal(theirs[n % len(theirs)].id))
    if kind == "dissolve_child" and children:
        return _parent_tx(chain, parent, DissolveSubOrganization(children[n % len(children)]))
    if kind == "parent_leaves" and n % 4 == 0:
        return [chain.tx(BOSS, LeaveOrganization(parent))]
    if kind == "sweep" and children:
        return [chain.tx(BOSS, SweepTreasury(children[n % len(children)]))]
    return []


def test_vetoed_proposals_never_execute_and_dissolution_locks_nothing(chain):
    opening = st.tuples(st.just("child"), st.integers(0, 50), st.just(1))
    proposing = st.tuples(st.just("child_propose"), st.integers(1, 50), st.sampled_from((1, 10, WINDOW // 2)))
    vetoing = st.tuples(st.just("veto"), st.integers(1, 4), st.sampled_from((1, 10, WINDOW // 2)))

    @QUICK
    @given(st.tuples(opening, proposing, vetoing), st.lists(step, max_size=12))
    def prop(start, more):
        steps = list(start) + more
        parent = orgs.next_id(chain.state)
        pol = threshold(1, min_delay=0, voting_period=60)
        chain.block(chain.tx(BOSS, CreateOrganization("parent", "", (OrgMember(BOSS.address, 1),), pol)))
        chain.block(chain.tx(BOSS, Transfer(orgs.treasury_address(parent), 5_000)))
        vetoed, executed = set(), set()
        for kind, n, wait in steps:
            if orgs.require(chain.state, parent).status != orgs.ACTIVE and kind not in ("sweep", "wait",
                                                                                       "child_propose"):
                continue
            txs = _txs(chain, parent, kind, n)
            result = chain.block(*txs, time=chain.time + 1 + wait)
            _resync(chain)
            events = [e for t in result.txs for e in t.events] + list(result.events)
            vetoed |= {e.proposal_id for e in events if isinstance(e, ProposalVetoed)}
            executed |= {e.proposal_id for e in events if isinstance(e, ProposalExecuted) and e.status == "executed"}
            assert not vetoed & executed
            assert locked_value(chain.state, chain.time) == []
        SEEN["vetoed"] += len(vetoed)
        SEEN["executed"] += len(executed)

    prop()
    assert SEEN["vetoed"] and SEEN["executed"], SEEN


def _resync(chain) -> None:
    """Failed-before-charging transactions do not use a sequence: read the real ones back."""
    for k in (BOSS, *KIDS):
        found = accounts.get(chain.state, k.address)
        chain.sequences[k.address] = 0 if found is None else found.sequence
