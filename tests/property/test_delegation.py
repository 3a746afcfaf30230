"""Hypothesis: for random delegation graphs (tags, chains, cycles attempted, revocations) and random votes in
random order, the ledger's delegated tally equals a recount from the proposal's snapshot after every vote, and
every snapshot path is a real chain of delegations among the voters, at most ``MAX_DEPTH`` hops, without repeats.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.delegation import snapshot, state as delegations, tally
from abci_app.chain.domain.delegation.messages import DelegateVote, RevokeDelegation
from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import LAZY, CreateOrganization, OrgMember, OrgPolicy
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import SubmitProposal, Vote
from tests.support.chain import TestChain, key

PEOPLE = tuple(key(n) for n in range(100, 110))
TAGS = ("", "finance", "garden")
QUICK = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def chain(tmp_path_factory):
    c = TestChain(tmp_path_factory.mktemp("delegation") / "db", balances={k: 10**6 for k in PEOPLE})
    c.block()
    yield c
    c.close()


def run(chain, signer, action) -> bool:
    result = chain.block(chain.tx(signer, action))
    if not result.txs[0].charged:
        chain.sequences[signer.address] -= 1
    return result.txs[0].ok


graph = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9), st.sampled_from(TAGS), st.booleans()), max_size=25)
scenario = st.tuples(st.integers(3, 10), st.lists(st.integers(1, 5), min_size=10, max_size=10), graph,
                     st.lists(st.sampled_from(TAGS[1:]), max_size=2, unique=True),
                     st.lists(st.tuples(st.integers(0, 9), st.integers(1, 3)), max_size=12))


def test_delegated_tallies_equal_a_recount_from_the_snapshot(chain):
    @QUICK
    @given(scenario)
    def prop(case):
        size, weights, edges, tags, votes = case
        members = PEOPLE[:size]
        org_id = orgs.next_id(chain.state)
        # lazy consensus with an unreachable objection and a long window: voting stays open for every vote
        policy = OrgPolicy(LAZY, 10**6, 10**6, 0, False)
        listed = tuple(sorted((OrgMember(k.address, weights[i]) for i, k in enumerate(members)),
                              key=lambda m: m.address))
        assert run(chain, members[0], CreateOrganization("liquid", "", listed, policy))
        for a, b, tag, revoke in edges:
            signer = members[a % size]
            run(chain, signer, RevokeDelegation(org_id, tag) if revoke else
                DelegateVote(org_id, members[b % size].address, tag))
        pid = proposals.next_id(chain.state)
        assert run(chain, members[0], SubmitProposal(org_id, "p", "", (Transfer(members[0].address, 1),),
                                                     tuple(tags)))
        _check_paths(chain, org_id, pid, tuple(tags))
        cast: dict[str, int] = {}
        for who, choice in votes:
            voter = members[who % size]
            if run(chain, voter, Vote(pid, choice)):
                cast[voter.address] = choice
            _check_tally(chain, pid, cast)

    prop()


def _check_paths(chain, org_id: int, pid: int, tags: tuple[str, ...]) -> None:
    snap = delegations.get_snapshot(chain.state, pid)
    voters = {v.address for v in proposals.voters(chain.state, pid)}
    if snap is None:
        assert not tags and not any(delegations.of_delegator(chain.state, org_id, v) for v in voters)
        return
    hops = snapshot.next_hops([d for v in sorted(voters) for d in delegations.of_delegator(chain.state, org_id, v)],
                              tags)
    for path in snap.paths:
        chain_ = tally.full_path(path)
        assert len(path.via) <= snapshot.MAX_DEPTH and len(set(chain_)) == len(chain_)
        assert set(chain_) <= voters
        for here, there in zip(chain_, chain_[1:]):
            assert hops[here] == there


def _check_tally(chain, pid: int, cast: dict[str, int]) -> None:
    proposal = proposals.require(chain.state, pid)
    snap = delegations.get_snapshot(chain.state, pid)
    if snap is None:
        weights = {v.address: v.weight for v in proposals.voters(chain.state, pid)}
        expected = {c: sum(weights[a] for a, x in cast.items() if x == c) for c in tally.CHOICES}
    else:
        expected = tally.recount(snap.paths, cast)
    assert (proposal.yes, proposal.no, proposal.abstain) == (expected[1], expected[2], expected[3])
