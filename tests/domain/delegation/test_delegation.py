"""Delegated votes through the real state machine: delegate, override, tags, cycles, revocation."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.delegation import state as delegations
from abci_app.chain.domain.delegation.messages import DelegateVote, RevokeDelegation
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import NO, YES, SubmitProposal
from abci_app.chain.domain.accounts.messages import Transfer
from tests.domain.organizations.support import (VOTING_PERIOD, assert_ok, create_org, proposal, send,
                                                threshold, vote)
from tests.support.chain import TestChain, key
from abci_app.chain.domain.delegation import errors as delegation_errors
from tests.support.rejections import assert_rejected

ANN, BEN, CAS, DEA = (key(n) for n in range(81, 85))


@pytest.fixture()
def chain(tmp_path):
    c = TestChain(tmp_path / "db", balances={k: 1_000 for k in (ANN, BEN, CAS, DEA)})
    c.block()
    yield c
    c.close()


@pytest.fixture()
def org_id(chain):
    return create_org(chain, ANN, {ANN: 1, BEN: 2, CAS: 3, DEA: 4}, threshold(6))


def submit(chain, org_id: int, tags: tuple[str, ...] = ()) -> int:
    pid = proposals.next_id(chain.state)
    assert_ok(send(chain, ANN, SubmitProposal(org_id, "buy a kettle", "", (Transfer(ANN.address, 1),), tags)))
    return pid


def test_a_delegate_votes_with_its_backers_weight_at_the_end_of_voting(chain, org_id):
    assert_ok(send(chain, ANN, DelegateVote(org_id, DEA.address)))
    assert_ok(send(chain, BEN, DelegateVote(org_id, DEA.address)))
    pid = submit(chain, org_id)
    assert_ok(vote(chain, DEA, pid, YES))
    assert proposal(chain, pid).yes == 4 + 1 + 2
    assert proposal(chain, pid).status == proposals.VOTING     # backers may still override: no early decision
    chain.block(time=proposal(chain, pid).voting_end)
    assert proposal(chain, pid).status == proposals.PASSED


def test_a_direct_vote_overrides_the_delegation_before_and_after_the_delegate_voted(chain, org_id):
    for backer in (ANN, BEN):
        assert_ok(send(chain, backer, DelegateVote(org_id, DEA.address)))
    pid = submit(chain, org_id)
    assert_ok(vote(chain, BEN, pid, NO))            # before the delegate
    assert_ok(vote(chain, DEA, pid, YES))
    assert (proposal(chain, pid).yes, proposal(chain, pid).no) == (4 + 1, 2)
    assert_ok(vote(chain, ANN, pid, NO))            # after the delegate: its weight moves
    assert (proposal(chain, pid).yes, proposal(chain, pid).no) == (4, 3)


def test_chains_carry_weight_through_to_the_first_member_who_voted(chain, org_id):
    assert_ok(send(chain, ANN, DelegateVote(org_id, BEN.address)))
    assert_ok(send(chain, BEN, DelegateVote(org_id, CAS.address)))
    pid = submit(chain, org_id)
    assert_ok(vote(chain, CAS, pid, YES))
    assert proposal(chain, pid).yes == 1 + 2 + 3
    snap = delegations.get_snapshot(chain.state, pid)
    assert [p.via for p in snap.paths if p.voter == ANN.address] == [(BEN.address, CAS.address)]


def test_a_tagged_delegation_applies_only_to_proposals_with_that_tag(chain, org_id):
    assert_ok(send(chain, ANN, DelegateVote(org_id, CAS.address, "finance")))
    assert_ok(send(chain, ANN, DelegateVote(org_id, BEN.address)))
    tagged, plain = submit(chain, org_id, ("finance",)), submit(chain, org_id)
    assert_ok(vote(chain, CAS, tagged, YES))
    assert_ok(vote(chain, CAS, plain, YES))
    assert proposal(chain, tagged).yes == 3 + 1 and proposal(chain, plain).yes == 3


def test_a_cycle_is_refused_and_revocation_ends_the_delegation_for_later_proposals(chain, org_id):
    assert_ok(send(chain, ANN, DelegateVote(org_id, BEN.address)))
    assert_ok(send(chain, BEN, DelegateVote(org_id, CAS.address)))
    assert_rejected(send(chain, CAS, DelegateVote(org_id, ANN.address)), delegation_errors.DelegationCycle)
    assert_rejected(send(chain, ANN, DelegateVote(org_id, ANN.address)), delegation_errors.InvalidDelegation)
    assert_rejected(send(chain, ANN, DelegateVote(org_id, key(99).address)), delegation_errors.InvalidDelegation)
    assert_ok(send(chain, ANN, RevokeDelegation(org_id)))
    assert_rejected(send(chain, ANN, RevokeDelegation(org_id)), delegation_errors.NoDelegation)
    pid = submit(chain, org_id)
    assert_ok(vote(chain, BEN, pid, YES))
    assert proposal(chain, pid).yes == 2 + 0    # BEN's own delegation goes to CAS, who has not voted
    assert proposal(chain, pid).voting_end - chain.time <= VOTING_PERIOD


def test_every_delegation_of_an_organization_is_served_at_one_path(chain, org_id):
    import json

    assert_ok(send(chain, ANN, DelegateVote(org_id, DEA.address)))
    assert_ok(send(chain, BEN, DelegateVote(org_id, CAS.address, "garden")))
    found = json.loads(chain.app.query(f"/delegations/{org_id}", b"").value)
    assert sorted((d["delegator"], d["delegate"], d["tag"]) for d in found) == sorted(
        [(ANN.address, DEA.address, ""), (BEN.address, CAS.address, "garden")])
