"""Expired roles leave state through a bounded due queue (roles.expiry)."""

from __future__ import annotations

from abci_app.chain.domain import due
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.roles import keys, state as roles
from abci_app.chain.domain.roles.events import RoleLapsed
from abci_app.chain.domain.roles.messages import GrantRole, RevokeRole
from tests.support.chain import TestChain, key
from tests.support.org_tools import decide, quick_org

CAP = 3
ANN = key(95)


def _chain(tmp_path) -> TestChain:
    return TestChain(tmp_path / "db", balances={ANN: 1_000}, extra_genesis={"market": {"max_due_per_block": CAP}})


def _queue(chain) -> list[bytes]:
    return [bytes(k) for k, _ in chain.state.iter_prefix(keys.EXPIRY_PREFIX)]


def _grant(org_id: int, name: str, expires_at: int) -> GrantRole:
    return GrantRole(org_id, name, ANN.address, ("transfer",), 10, 100, expires_at)


def test_expired_roles_leave_state_at_most_the_cap_per_block_earliest_first(tmp_path):
    chain = _chain(tmp_path)
    try:
        org_id = quick_org(chain, ANN, {ANN: 1})
        ends = [chain.time + 100 + i for i in range(CAP + 2)]
        assert decide(chain, ANN, org_id, *(_grant(org_id, f"r{i}", t) for i, t in enumerate(ends))).status \
            == proposals.EXECUTED
        assert len(_queue(chain)) == CAP + 2
        result = chain.block(time=ends[-1])
        lapsed = [e.name for e in result.events if isinstance(e, RoleLapsed)]
        assert lapsed == ["r0", "r1", "r2"]
        assert [(e.processed, e.more) for e in result.events if getattr(e, "queue", "") == due.ROLES] == [(CAP, True)]
        chain.block(time=ends[-1] + 1)
        assert list(roles.of_org(chain.state, org_id)) == [] and _queue(chain) == []
    finally:
        chain.close()


def test_a_regranted_or_revoked_role_keeps_exactly_one_queue_entry_or_none(tmp_path):
    chain = _chain(tmp_path)
    try:
        org_id = quick_org(chain, ANN, {ANN: 1})
        decide(chain, ANN, org_id, _grant(org_id, "coordinator", chain.time + 500))
        decide(chain, ANN, org_id, _grant(org_id, "coordinator", chain.time + 900))
        role = roles.require(chain.state, org_id, "coordinator")
        assert _queue(chain) == [keys.expiry(role.expires_at, org_id, "coordinator")]
        decide(chain, ANN, org_id, RevokeRole(org_id, "coordinator"))
        assert _queue(chain) == []
    finally:
        chain.close()
