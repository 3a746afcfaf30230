"""ABCI Query paths for organizations, proposals, votes and allowances."""

from __future__ import annotations

import json

from abci_app.chain.domain.accounts.messages import Transfer
from abci_app.chain.domain.organizations.messages import GrantFeeAllowance
from abci_app.chain.domain.proposals.messages import NO, YES
from tests.domain.organizations.support import create_org, org, propose, threshold, vote
from abci_app.chain import errors
from tests.support.rejections import assert_rejected


def query(chain, path):
    result = chain.app.query(path, b"")
    return result, (json.loads(result.value) if result.code == 0 else None)


def test_organizations_proposals_and_votes_are_served_by_path(chain, people):
    a, b, c = people[:3]
    org_id = create_org(chain, a, {a: 1, b: 1, c: 1}, threshold(2, min_delay=0))
    pid = propose(chain, a, org_id, GrantFeeAllowance(org_id, c.address, 9, chain.time + 500))
    vote(chain, a, pid, YES, "yes please")
    vote(chain, b, pid, YES)
    _, o = query(chain, f"/org/{org_id}")
    assert o["id"] == org_id and o["treasury"] == org(chain, org_id).treasury and len(o["members"]) == 3
    _, by_treasury = query(chain, f"/org/treasury/{o['treasury']}")
    assert by_treasury == o
    _, p = query(chain, f"/proposal/{pid}")
    assert p["status"] == "executed" and p["actions"][0]["kind"] == "grant_fee_allowance"
    _, votes = query(chain, f"/proposal/{pid}/votes")
    assert sorted(v["voter"] for v in votes) == sorted([a.address, b.address])
    _, voters = query(chain, f"/proposal/{pid}/voters")
    assert voters == sorted([{"address": x.address, "weight": 1} for x in (a, b, c)], key=lambda v: v["address"])
    _, one = query(chain, f"/proposal/{pid}/vote/{a.address}")
    assert one["reason"] == "yes please" and one["choice"] == YES
    _, listed = query(chain, f"/proposals/{org_id}")
    assert [x["id"] for x in listed] == [pid]
    _, grants = query(chain, f"/org/{org_id}/allowances")
    assert grants == [{"org_id": org_id, "grantee": c.address, "limit": 9, "spent": 0,
                       "expires_at": grants[0]["expires_at"]}]
    _, grant = query(chain, f"/org/{org_id}/allowance/{c.address}")
    assert grant == grants[0]


def test_missing_objects_and_bad_paths_get_clear_errors(chain, people):
    a = people[0]
    create_org(chain, a, {a: 1})
    for path, expected in [("/org/7", errors.NotFound), ("/proposal/1", errors.NotFound), ("/org/x", errors.UnknownQuery),
                           ("/org/1/nothing", errors.UnknownQuery), ("/proposal/1/vote/" + a.address, errors.NotFound),
                           ("/proposals", errors.UnknownQuery), ("/org/1/allowance/" + a.address, errors.NotFound)]:
        result, _ = query(chain, path)
        assert_rejected(result, expected)
        assert result.log, path
