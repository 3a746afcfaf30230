"""Organization and proposal handlers, pure: against a ``Delta`` over an in-memory base (no app, no LMDB)."""

from __future__ import annotations

from abci_app.chain import errors
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import CreateOrganization, OrgMember
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from tests.domain.organizations.support import threshold
from tests.support.chain import key
from tests.support.pure import PureChain

ANN, BO, CAS = key(1), key(2), key(3)


def founded(world: PureChain) -> orgs.Organization:
    org_id = orgs.next_id(world.state)
    world.run(ANN, CreateOrganization("EHBO", "first aid", (OrgMember(ANN.address, 1), OrgMember(BO.address, 1)),
                                      threshold(2, min_delay=0)))
    return orgs.get(world.state, org_id)


def test_the_second_yes_vote_passes_the_proposal_and_leaves_its_execution_to_the_end_of_the_block():
    world = PureChain({ANN: 1_000, BO: 1_000})
    org = founded(world)
    world.run(BO, Transfer(org.treasury, 500))
    pid = proposals.next_id(world.state)
    world.run(ANN, SubmitProposal(org.id, "pay cas", "", (Transfer(CAS.address, 200),)))
    world.run(ANN, Vote(pid, YES))
    assert accounts.balance(world.state, CAS.address) == 0          # one vote of two: not yet
    world.run(BO, Vote(pid, YES))
    assert proposals.get(world.state, pid).status == proposals.PASSED
    assert accounts.balance(world.state, CAS.address) == 0          # actions run in the end-block hook


def test_an_outsider_cannot_propose_or_vote_and_a_member_votes_once():
    world = PureChain({ANN: 1_000, BO: 1_000, CAS: 1_000})
    org = founded(world)
    world.rejects(CAS, SubmitProposal(org.id, "mine", "", (Transfer(CAS.address, 1),)), errors.NotAMember)
    pid = proposals.next_id(world.state)
    world.run(ANN, SubmitProposal(org.id, "t", "", (Transfer(CAS.address, 1),)))
    world.rejects(CAS, Vote(pid, YES), errors.NotAVoter)
    world.run(ANN, Vote(pid, YES))
    world.rejects(ANN, Vote(pid, YES), errors.AlreadyVoted)


def test_an_organization_without_members_is_rejected_and_nothing_is_created():
    world = PureChain({ANN: 1_000})
    world.rejects(ANN, CreateOrganization("x", "", (), threshold(1)), errors.InvalidMembers)
    assert orgs.get(world.state, orgs.next_id(world.state)) is None
