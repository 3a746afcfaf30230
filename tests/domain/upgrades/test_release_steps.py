"""The first release upgrade's migration steps, each run on a state in the layout before it (upgrades/release.py)."""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.delegation import keys as dkeys, state as delegations
from abci_app.chain.domain.delegation.messages import DelegateVote
from abci_app.chain.domain.organizations import keys as org_keys
from abci_app.chain.domain.proposals import keys as pkeys, state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal
from abci_app.chain.domain.upgrades import release
from tests.domain.organizations.support import assert_ok, create_org, send, threshold, vote
from tests.support.chain import TestChain, key

ANN, BEN, CAS = (key(n) for n in range(91, 94))
LAYOUT = (pkeys.PREFIX, b"dlg/", b"org/")


def _items(state) -> dict[bytes, bytes]:
    return {bytes(k): bytes(v) for prefix in LAYOUT for k, v in state.iter_prefix(prefix)}


def _to_legacy(state) -> None:
    """Rewrite the per-voter layout into the one before: voters inside the record, one snapshot record."""
    for proposal in list(proposals.all_proposals(state)):
        doc = codec.read_plain(codec.encode_value(proposal))
        doc["voters"] = [{"address": v.address, "weight": v.weight} for v in proposals.voters(state, proposal.id)]
        state.put(pkeys.proposal(proposal.id), codec.encode_plain(doc))
        snap = delegations.get_snapshot(state, proposal.id)
        if snap is not None:
            state.put(dkeys.legacy_snapshot(proposal.id), codec.encode_value(snap))
    for prefix in (org_keys.STATUS_PREFIX, pkeys.VOTER_PREFIX, dkeys.SNAPSHOT_HEAD, dkeys.SNAPSHOT_PATH, dkeys.SNAPSHOT_THROUGH):
        for k, _ in list(state.iter_prefix(prefix)):
            state.delete(bytes(k))


def test_the_per_voter_step_turns_the_layout_before_into_todays_and_leaves_todays_alone(tmp_path):
    chain = TestChain(tmp_path / "v1", balances={k: 1_000 for k in (ANN, BEN, CAS)})
    try:
        chain.block()
        org_id = create_org(chain, ANN, {ANN: 1, BEN: 2, CAS: 3}, threshold(6))
        assert_ok(send(chain, ANN, DelegateVote(org_id, CAS.address)))
        assert_ok(send(chain, BEN, DelegateVote(org_id, ANN.address, "garden")))
        for tags in (("garden",), ()):
            pid = proposals.next_id(chain.state)
            assert_ok(send(chain, ANN, SubmitProposal(org_id, "kettle", "", (Transfer(ANN.address, 1),), tags)))
        assert_ok(vote(chain, CAS, pid - 1, YES))
        today = _items(chain.state)
        legacy = chain.app.check_state.fork()
        _to_legacy(legacy)
        assert _items(legacy) != today and any(k.startswith(dkeys.LEGACY_SNAPSHOT) for k in _items(legacy))
        release.migrate(legacy, chain.height + 1)
        assert _items(legacy) == today
        again = chain.app.check_state.fork()
        release.migrate(again, chain.height + 1)
        assert _items(again) == today
    finally:
        chain.close()


def test_the_roles_step_queues_every_stored_role_at_its_expiry(tmp_path):
    from abci_app.chain.domain.roles import keys as role_keys, state as roles
    from abci_app.chain.domain.roles.messages import GrantRole
    from tests.support.org_tools import decide, quick_org

    chain = TestChain(tmp_path / "v1", balances={ANN: 1_000})
    try:
        org_id = quick_org(chain, ANN, {ANN: 1})
        decide(chain, ANN, org_id, GrantRole(org_id, "treasurer", ANN.address, ("transfer",), 5, 60, chain.time + 99))
        today = [bytes(k) for k, _ in chain.state.iter_prefix(role_keys.EXPIRY_PREFIX)]
        assert today == [role_keys.expiry(roles.require(chain.state, org_id, "treasurer").expires_at, org_id,
                                          "treasurer")]
        legacy = chain.app.check_state.fork()
        legacy.delete(today[0])
        release.migrate(legacy, chain.height + 1)
        assert [bytes(k) for k, _ in legacy.iter_prefix(role_keys.EXPIRY_PREFIX)] == today
    finally:
        chain.close()
