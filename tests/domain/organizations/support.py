"""Helpers for organization and proposal tests: one transaction per block, ids, policies."""

from __future__ import annotations

import base64

from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.organizations.messages import (LAZY, PERCENTAGE, THRESHOLD, CreateOrganization, OrgMember,
                                                    OrgPolicy)
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import SubmitProposal, Vote

VOTING_PERIOD = 100
MIN_DELAY = 20


def policy(kind: int = THRESHOLD, threshold: int = 2, voting_period: int = VOTING_PERIOD,
           min_delay: int = MIN_DELAY, exit_right: bool = False) -> OrgPolicy:
    return OrgPolicy(kind, threshold, voting_period, min_delay, exit_right)


def threshold(n: int, **kw) -> OrgPolicy:
    return policy(THRESHOLD, n, **kw)


def percentage(bps: int, **kw) -> OrgPolicy:
    return policy(PERCENTAGE, bps, **kw)


def lazy(objection: int, **kw) -> OrgPolicy:
    return policy(LAZY, objection, **kw)


def send(chain, signer, action, time: int | None = None, **kw):
    """Run ``action`` alone in a new block; return its outcome.

    A transaction rejected before its action ran (not ``charged``) does not use up the
    sequence; one whose action failed does (it paid its fee).
    """
    result = chain.block(chain.tx(signer, action, **kw), time=time)
    outcome = result.txs[0]
    if not outcome.charged:
        chain.sequences[signer.address] -= 1
    return outcome


def code(outcome) -> tuple[str, int]:
    return outcome.codespace, outcome.code


def assert_ok(outcome):
    assert outcome.ok, (outcome.codespace, outcome.code, outcome.log)
    return outcome


def create_org(chain, founder, members: dict, pol: OrgPolicy | None = None, name: str = "EHBO Buurt") -> int:
    """Create an organization of ``{signer: weight}``; return its id."""
    org_id = orgs.next_id(chain.state)
    msg = CreateOrganization(name, "first aid in the neighbourhood",
                             tuple(OrgMember(s.address, w) for s, w in members.items()), pol or threshold(2))
    assert_ok(send(chain, founder, msg))
    return org_id


def propose(chain, signer, org_id: int, *actions, title: str = "a proposal") -> int:
    proposal_id = proposals.next_id(chain.state)
    assert_ok(send(chain, signer, SubmitProposal(org_id, title, "", tuple(actions))))
    return proposal_id


def vote(chain, signer, proposal_id: int, choice: int, reason: str = ""):
    return send(chain, signer, Vote(proposal_id, choice, reason))


def proposal(chain, proposal_id: int):
    return proposals.require(chain.state, proposal_id)


def org(chain, org_id: int):
    return orgs.require(chain.state, org_id)


def advance(chain, seconds: int):
    """Commit one empty block ``seconds`` after the last one."""
    return chain.block(time=chain.time + seconds)


def network_genesis(*people, voting_period: int = VOTING_PERIOD) -> dict:
    """A ``validators`` genesis section founding network organization 1 of ``people`` (threshold 1, no delay)."""
    members = [{"address": p.address, "weight": 1} for p in people]
    return {"validators": {"organization": {"name": "network", "members": members,
                                            "policy": {"kind": THRESHOLD, "threshold": 1,
                                                       "voting_period": voting_period}},
                           "validators": [{"pub_key": base64.b64encode(bytes(32)).decode(), "power": 10}]}}



def pure_funded_org(world, founder, members, funds: int):
    """In a ``PureChain``: ``founder`` creates an organization of ``members`` (weight 1, threshold 2) and pays
    ``funds`` into its treasury; return the organization."""
    from abci_app.chain.domain.accounts.messages import Transfer

    org_id = orgs.next_id(world.state)
    world.run(founder, CreateOrganization("Coop", "", tuple(OrgMember(m.address, 1) for m in members), threshold(2)))
    found = orgs.require(world.state, org_id)
    world.run(founder, Transfer(found.treasury, funds))
    return found
