"""Invariants of accounts, organizations and proposals, checked after every simulated block.

Each ``check_*`` function reads committed state only and raises ``AssertionError``
with a readable message; ``check_all`` runs them all.  They are plain functions so
a combined simulation (market, agreements, ...) can call them beside its own.
"""

from __future__ import annotations

from abci_app.chain import addresses
from abci_app.chain.domain.accounts import state as accounts
from abci_app.chain.domain.organizations import keys as org_keys, state as orgs
from abci_app.chain.domain.proposals import keys as pkeys, state as proposals, tally
from abci_app.chain.domain.proposals.messages import ABSTAIN, NO, YES

PASSED_LIKE = (proposals.PASSED, proposals.EXECUTED, proposals.FAILED)


def reachable(status: str) -> set[str]:
    """Statuses reachable from ``status`` in one block (several transitions may happen in one block)."""
    seen, todo = {status}, [status]
    while todo:
        for nxt in proposals.TRANSITIONS.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def check_supply(state, expected_supply: int) -> None:
    """Total supply is constant and equals the sum of all balances; no balance is negative."""
    balances = [a.balance for _, a in accounts.all_accounts(state)]
    assert all(b >= 0 for b in balances), "negative balance"
    assert accounts.supply(state) == expected_supply, "supply changed"
    assert sum(balances) == expected_supply, f"balances sum to {sum(balances)}, supply is {expected_supply}"


def check_organizations(state) -> None:
    """Active organizations have 1..MAX members with positive weights; dissolved ones none;
    treasuries map back to their organization; allowances never overspent."""
    for org in orgs.all_organizations(state):
        assert orgs.by_treasury(state, org.treasury) == org.id
        assert org.treasury == orgs.treasury_address(org.id)
        addrs = [m.address for m in org.members]
        assert addrs == sorted(set(addrs)), f"org {org.id}: members unsorted or duplicated"
        if org.status == orgs.ACTIVE:
            assert 1 <= len(org.members) <= orgs.MAX_MEMBERS, f"active org {org.id} has {len(org.members)} members"
            assert all(m.weight > 0 for m in org.members)
            assert org.treasury not in addrs, f"org {org.id} is its own member"
        else:
            assert org.status == orgs.DISSOLVED and org.members == ()
        for grant in orgs.allowances(state, org.id):
            assert 0 <= grant.spent <= grant.limit, f"allowance of {grant.grantee} overspent"
        for address in addrs:
            assert org.id in orgs.memberships(state, address), f"org {org.id}: {address} missing from the index"
    for key, _ in state.iter_prefix(org_keys.MEMBERSHIP_PREFIX):
        member, org_id = bytes(key[len(org_keys.MEMBERSHIP_PREFIX):]).decode().rsplit("/", 1)
        assert orgs.weight_of(orgs.require(state, int(org_id)).members, member), f"stale membership {key!r}"


def check_nothing_stuck(state) -> None:
    """Every balance has an exit: a key account, the community pool, an active organization
    (its members decide or leave) or a dissolved one (anyone may sweep it)."""
    for address, account in accounts.all_accounts(state):
        org_id = orgs.by_treasury(state, address)
        if account.balance and org_id is not None:
            assert orgs.get(state, org_id).status in (orgs.ACTIVE, orgs.DISSOLVED)


def check_votes(state, p) -> None:
    """Each stored vote is by a snapshotted voter with its snapshotted weight, counted once in the tally."""
    sums = {YES: 0, NO: 0, ABSTAIN: 0}
    voters = set()
    for vote in proposals.votes(state, p.id):
        assert vote.voter not in voters, f"proposal {p.id}: two votes by {vote.voter}"
        voters.add(vote.voter)
        assert vote.weight == proposals.voter_weight(state, p.id, vote.voter) > 0, f"proposal {p.id}: ineligible vote"
        sums[vote.choice] += vote.weight
    assert (p.yes, p.no, p.abstain) == (sums[YES], sums[NO], sums[ABSTAIN]), f"proposal {p.id}: tally mismatch"
    assert p.total_weight == orgs.total_weight(proposals.voters(state, p.id))
    assert p.yes + p.no + p.abstain <= p.total_weight, f"proposal {p.id}: tally exceeds the snapshot"


def check_decision(p) -> None:
    """The status agrees with the decision rule applied to the tally at the time of decision."""
    if p.status == proposals.VOTING:
        assert tally.outcome(p.policy, p.total_weight, p.yes, p.no, p.abstain, final=False) is None, \
            f"proposal {p.id} is settled but still voting"
    elif p.status != proposals.WITHDRAWN:
        final = p.decided_at >= p.voting_end
        expected = tally.outcome(p.policy, p.total_weight, p.yes, p.no, p.abstain, final=final)
        actual = tally.PASSED if p.status in PASSED_LIKE else tally.REJECTED
        assert expected == actual, f"proposal {p.id}: status {p.status} but the rule says {expected}"


def check_proposals(state, now: int) -> dict[int, str]:
    """Check votes, decisions, time indexes and block-time duties; return ``{id: status}``."""
    voting_index = {pid: t for t, pid in proposals.index_entries(state, pkeys.VOTING_ENDS)}
    exec_index = {pid: t for t, pid in proposals.index_entries(state, pkeys.EXECUTIONS)}
    statuses = {}
    for p in proposals.all_proposals(state):
        statuses[p.id] = p.status
        check_votes(state, p)
        check_decision(p)
        assert (p.id in voting_index) == (p.status == proposals.VOTING), f"proposal {p.id}: voting index"
        assert (p.id in exec_index) == (p.status == proposals.PASSED), f"proposal {p.id}: execution index"
        if p.status == proposals.VOTING:
            assert voting_index[p.id] == p.voting_end > now, f"proposal {p.id} left open past its voting end"
        if p.status == proposals.PASSED:
            assert exec_index[p.id] == p.execute_after > now, f"proposal {p.id} left unexecuted past its delay"
        if p.status in (proposals.EXECUTED, proposals.FAILED):
            assert p.executed_at >= p.execute_after >= p.decided_at
        if p.status == proposals.FAILED:
            assert p.result_code != 0 and p.result_codespace and p.result_log
    assert set(voting_index) <= set(statuses) and set(exec_index) <= set(statuses), "dangling index entry"
    return statuses


def check_transitions(before: dict[int, str], after: dict[int, str]) -> None:
    """Proposals never disappear and only make legal transitions."""
    for pid, old in before.items():
        assert pid in after, f"proposal {pid} vanished"
        assert after[pid] in reachable(old), f"proposal {pid}: illegal transition {old} -> {after[pid]}"


def check_all(state, now: int, supply: int, before: dict[int, str]) -> dict[int, str]:
    check_supply(state, supply)
    check_organizations(state)
    check_nothing_stuck(state)
    after = check_proposals(state, now)
    check_transitions(before, after)
    assert addresses.is_valid(addresses.COMMUNITY_POOL)
    return after
