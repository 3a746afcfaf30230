"""Proposals: submission, voting, decision rules per policy, snapshots, withdrawal, automatic execution."""

from __future__ import annotations

from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import LeaveOrganization, OrgMember, UpdateMembers, UpdatePolicy
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import ABSTAIN, NO, YES, SubmitProposal, Vote, WithdrawProposal
from tests.domain.organizations.support import (MIN_DELAY, VOTING_PERIOD, advance, assert_ok, create_org,
                                                lazy, org, percentage, propose, proposal, send, threshold, vote)
from abci_app.chain import errors
from tests.support.rejections import assert_rejected


def funded_org(chain, people, weights=(1, 1, 1), pol=None, funds=1000):
    members = dict(zip(people, weights))
    org_id = create_org(chain, people[0], members, pol or threshold(2))
    assert_ok(send(chain, people[-1], Transfer(org(chain, org_id).treasury, funds)))
    return org_id, org(chain, org_id).treasury


# -- submission ----------------------------------------------------------------------------


def test_a_member_submits_a_proposal_with_a_snapshot_of_voters_weights_and_policy(chain, people):
    a, b, c, _, e = people
    org_id, _ = funded_org(chain, people, (1, 2, 3))
    pid = propose(chain, a, org_id, Transfer(e.address, 10))
    p = proposal(chain, pid)
    assert p.status == proposals.VOTING and p.proposer == a.address and p.total_weight == 1 + 2 + 3 + 0
    assert p.voting_end == p.submitted_at + VOTING_PERIOD and p.policy == org(chain, org_id).policy
    assert proposals.voters(chain.state, p.id) == org(chain, org_id).members


def test_a_non_member_cannot_submit(chain, people):
    a, b, _, d, e = people
    org_id = create_org(chain, a, {a: 1, b: 1})
    assert_rejected(send(chain, d, SubmitProposal(org_id, "t", "", (Transfer(e.address, 1),))), errors.NotAMember)
    assert proposals.next_id(chain.state) == 1


def test_malformed_proposals_are_rejected_before_touching_state(chain, people):
    a, b = people[:2]
    org_id = create_org(chain, a, {a: 1, b: 1})
    cases = [
        (SubmitProposal(org_id, "t", "", ()), errors.InvalidProposal),
        (SubmitProposal(org_id, "t", "", (Transfer(b.address, 1),) * 17), errors.InvalidProposal),
        (SubmitProposal(org_id, " ", "", (Transfer(b.address, 1),)), errors.InvalidProposal),
        (SubmitProposal(org_id, "t", "", (Transfer(b.address, 0),)), errors.ZeroAmount),
        (SubmitProposal(org_id, "t", "", (Transfer("samen1bad", 5),)), errors.InvalidAddress),
        (SubmitProposal(org_id, "t", "", (UpdateMembers(org_id, ()),)), errors.InvalidMembers),
    ]
    for msg, expected in cases:
        outcome = send(chain, a, msg)
        assert_rejected(outcome, expected)
        assert outcome.log, msg
    assert proposals.next_id(chain.state) == 1


# -- voting --------------------------------------------------------------------------------


def test_a_non_member_cannot_vote(chain, people):
    a, b, c, d, _ = people
    org_id, _ = funded_org(chain, [a, b, c, d][:3])
    pid = propose(chain, a, org_id, Transfer(d.address, 1))
    assert_rejected(vote(chain, d, pid, YES), errors.NotAVoter)
    assert proposal(chain, pid).yes == 0


def test_a_vote_is_final_and_a_second_vote_is_rejected(chain, people):
    a, b, c = people[:3]
    org_id, _ = funded_org(chain, [a, b, c], pol=threshold(2))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, a, pid, NO, "too early"))
    assert_rejected(vote(chain, a, pid, NO), errors.AlreadyVoted)
    assert_rejected(vote(chain, a, pid, YES), errors.AlreadyVoted)
    p = proposal(chain, pid)
    assert (p.yes, p.no, p.abstain) == (0, 1, 0)
    assert proposals.get_vote(chain.state, pid, a.address).reason == "too early"


def test_an_invalid_choice_is_rejected(chain, people):
    a, b = people[:2]
    org_id, _ = funded_org(chain, [a, b])
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_rejected(send(chain, a, Vote(pid, 0)), errors.InvalidVoteChoice)
    assert_rejected(send(chain, a, Vote(pid, 4)), errors.InvalidVoteChoice)
    assert_rejected(send(chain, a, Vote(99, YES)), errors.ProposalNotFound)


def test_voting_after_the_period_is_rejected_and_the_proposal_is_closed_by_block_time(chain, people):
    a, b, c = people[:3]
    org_id, _ = funded_org(chain, [a, b, c], pol=threshold(2))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, a, pid, YES))
    end = proposal(chain, pid).voting_end
    assert_rejected(send(chain, b, Vote(pid, YES), time=end), errors.VotingClosed)
    assert proposal(chain, pid).status == proposals.REJECTED
    assert proposal(chain, pid).decided_at == end


# -- decision rules --------------------------------------------------------------------------


def test_threshold_policy_passes_as_soon_as_yes_weight_reaches_the_threshold(chain, people):
    a, b, c, _, e = people
    org_id, treasury = funded_org(chain, [a, b, c], (1, 2, 3), threshold(3))
    pid = propose(chain, a, org_id, Transfer(e.address, 100))
    assert_ok(vote(chain, b, pid, YES))
    assert proposal(chain, pid).status == proposals.VOTING
    assert_ok(vote(chain, a, pid, YES))
    p = proposal(chain, pid)
    assert p.status == proposals.PASSED and p.execute_after == p.decided_at + MIN_DELAY


def test_threshold_policy_rejects_as_soon_as_the_threshold_is_out_of_reach(chain, people):
    a, b, c = people[:3]
    org_id, _ = funded_org(chain, [a, b, c], (1, 2, 3), threshold(4))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, c, pid, NO))       # yes can now reach at most 3 < 4
    assert proposal(chain, pid).status == proposals.REJECTED


def test_a_threshold_above_the_total_weight_is_capped_at_the_total(chain, people):
    a, b = people[:2]
    org_id, _ = funded_org(chain, [a, b], (1, 1), threshold(50))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, YES))
    assert proposal(chain, pid).status == proposals.PASSED


def test_percentage_policy_needs_its_share_of_the_total_weight(chain, people):
    a, b, c, d = people[:4]
    org_id, _ = funded_org(chain, [a, b, c, d], (1, 1, 1, 1), percentage(5001))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, YES))       # 50.00% < 50.01%
    assert proposal(chain, pid).status == proposals.VOTING
    assert_ok(vote(chain, c, pid, ABSTAIN))   # yes can still reach 75%
    assert proposal(chain, pid).status == proposals.VOTING
    advance(chain, VOTING_PERIOD)
    assert proposal(chain, pid).status == proposals.REJECTED


def test_percentage_policy_passes_when_the_share_is_reached(chain, people):
    a, b, c, d = people[:4]
    org_id, _ = funded_org(chain, [a, b, c, d], (1, 1, 1, 1), percentage(5000))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, d, pid, YES))
    assert proposal(chain, pid).status == proposals.PASSED


def test_lazy_consensus_passes_at_the_end_of_the_window_without_any_vote(chain, people):
    a, b, c, _, e = people
    org_id, treasury = funded_org(chain, [a, b, c], pol=lazy(2, min_delay=0))
    pid = propose(chain, a, org_id, Transfer(e.address, 100))
    before = accounts.balance(chain.state, e.address)
    advance(chain, VOTING_PERIOD - 1)
    assert proposal(chain, pid).status == proposals.VOTING
    advance(chain, VOTING_PERIOD)
    p = proposal(chain, pid)
    assert p.status == proposals.EXECUTED                  # no delay: runs in the block that decided it
    assert accounts.balance(chain.state, e.address) == before + 100


def test_lazy_consensus_is_rejected_once_objections_reach_the_set_weight(chain, people):
    a, b, c = people[:3]
    org_id, _ = funded_org(chain, [a, b, c], pol=lazy(2))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, b, pid, NO))
    assert proposal(chain, pid).status == proposals.VOTING
    assert_ok(vote(chain, c, pid, NO))
    assert proposal(chain, pid).status == proposals.REJECTED


def test_lazy_consensus_passes_early_when_objections_can_no_longer_reach_the_weight(chain, people):
    a, b, c = people[:3]
    org_id, _ = funded_org(chain, [a, b, c], pol=lazy(2))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, ABSTAIN))   # at most 1 objection left < 2
    assert proposal(chain, pid).status == proposals.PASSED


# -- snapshots ------------------------------------------------------------------------------


def test_members_added_after_submission_cannot_vote_and_leavers_keep_their_snapshot_vote(chain, people):
    a, b, c, d, _ = people
    org_id, treasury = funded_org(chain, [a, b, c], pol=threshold(2, min_delay=0))
    add = propose(chain, a, org_id, UpdateMembers(org_id, (OrgMember(d.address, 5),)))
    assert_ok(vote(chain, a, add, YES))
    pid = propose(chain, a, org_id, Transfer(d.address, 7))    # submitted before d joins
    assert_ok(vote(chain, b, add, YES))                        # passes and executes in this block
    assert orgs.weight_of(org(chain, org_id).members, d.address) == 5
    assert_rejected(vote(chain, d, pid, YES), errors.NotAVoter)
    assert_ok(send(chain, c, LeaveOrganization(org_id)))
    assert_ok(vote(chain, c, pid, YES))                        # c left, but was a voter at submission
    assert proposal(chain, pid).yes == 1 and proposal(chain, pid).total_weight == 3


def test_a_policy_change_does_not_alter_open_proposals(chain, people):
    a, b, c = people[:3]
    org_id, _ = funded_org(chain, [a, b, c], pol=threshold(2, min_delay=0))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    change = propose(chain, a, org_id, UpdatePolicy(org_id, threshold(3, min_delay=0)))
    assert_ok(vote(chain, a, change, YES))
    assert_ok(vote(chain, b, change, YES))
    assert org(chain, org_id).policy.threshold == 3
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, YES))
    assert proposal(chain, pid).status in (proposals.PASSED, proposals.EXECUTED)


# -- withdrawal --------------------------------------------------------------------------------


def test_the_proposer_may_withdraw_before_any_vote(chain, people):
    a, b = people[:2]
    org_id, _ = funded_org(chain, [a, b])
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_rejected(send(chain, b, WithdrawProposal(pid)), errors.NotTheProposer)
    assert_ok(send(chain, a, WithdrawProposal(pid)))
    assert proposal(chain, pid).status == proposals.WITHDRAWN
    assert_rejected(vote(chain, b, pid, YES), errors.VotingClosed)
    assert_rejected(send(chain, a, WithdrawProposal(pid)), errors.VotingClosed)
    advance(chain, 10 * VOTING_PERIOD)
    assert proposal(chain, pid).status == proposals.WITHDRAWN


def test_withdrawing_after_a_vote_is_rejected(chain, people):
    a, b, c = people[:3]
    org_id, _ = funded_org(chain, [a, b, c], pol=threshold(2))
    pid = propose(chain, a, org_id, Transfer(b.address, 1))
    assert_ok(vote(chain, b, pid, ABSTAIN))
    assert_rejected(send(chain, a, WithdrawProposal(pid)), errors.WithdrawNotAllowed)
    assert proposal(chain, pid).status == proposals.VOTING


# -- execution ------------------------------------------------------------------------------------


def test_a_passed_proposal_executes_automatically_in_the_first_block_after_its_delay(chain, people):
    a, b, c, _, e = people
    org_id, treasury = funded_org(chain, [a, b, c])
    pid = propose(chain, a, org_id, Transfer(e.address, 250, "training"))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, YES))
    due = proposal(chain, pid).execute_after
    before = accounts.balance(chain.state, e.address)
    chain.block(time=due - 1)                                    # executing early never happens
    assert proposal(chain, pid).status == proposals.PASSED
    assert accounts.balance(chain.state, treasury) == 1000
    result = chain.block(time=due + 3)
    p = proposal(chain, pid)
    assert p.status == proposals.EXECUTED and p.executed_at == due + 3
    assert accounts.balance(chain.state, e.address) == before + 250
    assert accounts.balance(chain.state, treasury) == 750
    assert [ev.TYPE for ev in result.events] == ["transfer", "proposal_executed", "due_queue"]
    assert_rejected(vote(chain, c, pid, YES), errors.VotingClosed)


def test_a_multi_action_proposal_is_all_or_nothing_and_records_the_failure(chain, people):
    a, b, c, d, e = people
    org_id, treasury = funded_org(chain, [a, b, c], funds=500)
    pid = propose(chain, a, org_id, Transfer(d.address, 300), Transfer(e.address, 300))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, YES))
    before = accounts.balance(chain.state, d.address)
    advance(chain, MIN_DELAY)
    p = proposal(chain, pid)
    assert p.status == proposals.FAILED
    assert_rejected(p, errors.InsufficientFunds)
    assert p.result_log.startswith("action 1 (Transfer)")
    assert accounts.balance(chain.state, d.address) == before
    assert accounts.balance(chain.state, treasury) == 500
    advance(chain, MIN_DELAY)
    assert proposal(chain, pid).status == proposals.FAILED       # final: not retried


def test_removing_every_member_by_proposal_fails_and_changes_nothing(chain, people):
    a, b = people[:2]
    org_id, _ = funded_org(chain, [a, b], pol=threshold(2, min_delay=0))
    pid = propose(chain, a, org_id, UpdateMembers(org_id, (OrgMember(a.address, 0), OrgMember(b.address, 0))))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, YES))
    p = proposal(chain, pid)
    assert p.status == proposals.FAILED
    assert_rejected(p, errors.InvalidMembers)
    assert len(org(chain, org_id).members) == 2


def test_a_proposal_of_an_organization_dissolved_before_execution_fails(chain, people):
    a, b, _, _, e = people
    org_id, _ = funded_org(chain, [a, b])
    pid = propose(chain, a, org_id, Transfer(e.address, 10))
    assert_ok(vote(chain, a, pid, YES))
    assert_ok(vote(chain, b, pid, YES))
    assert_ok(send(chain, a, LeaveOrganization(org_id)))
    assert_ok(send(chain, b, LeaveOrganization(org_id)))
    advance(chain, MIN_DELAY)
    p = proposal(chain, pid)
    assert p.status == proposals.FAILED
    assert_rejected(p, errors.OrganizationDissolved)


def test_an_organization_acts_in_another_organization_through_its_own_proposals(chain, people):
    a, b, c, _, e = people
    inner = create_org(chain, a, {a: 1}, threshold(1, min_delay=0))
    outer, outer_treasury = funded_org(chain, [b, c], pol=threshold(2, min_delay=0))
    join = propose(chain, b, outer, UpdateMembers(outer, (OrgMember(org(chain, inner).treasury, 1),)))
    assert_ok(vote(chain, b, join, YES))
    assert_ok(vote(chain, c, join, YES))
    spend = propose(chain, b, outer, Transfer(e.address, 5))
    assert_ok(vote(chain, b, spend, YES))
    cast = propose(chain, a, inner, Vote(spend, YES, "agreed by the inner group"))
    assert_ok(vote(chain, a, cast, YES))          # inner executes its vote in its END_BLOCK
    advance(chain, 1)
    assert proposal(chain, cast).status == proposals.EXECUTED
    assert proposal(chain, spend).status == proposals.EXECUTED
    assert proposals.get_vote(chain.state, spend, org(chain, inner).treasury).weight == 1
