"""Helpers for the organization-tool tests: an organization that decides in one block."""

from __future__ import annotations

from abci_app.chain.domain.organizations import state as orgs
from abci_app.chain.domain.proposals import state as proposals
from abci_app.chain.domain.proposals.messages import YES, SubmitProposal, Vote
from tests.domain.organizations.support import assert_ok, create_org, send, threshold


def quick_org(chain, founder, members: dict, funds: int = 0) -> int:
    """An organization of ``{signer: weight}`` passing on one yes vote with no delay, funded with ``funds``."""
    from abci_app.chain.domain.accounts.messages import Transfer

    org_id = create_org(chain, founder, members, threshold(1, min_delay=0))
    if funds:
        assert_ok(send(chain, founder, Transfer(orgs.treasury_address(org_id), funds)))
    return org_id


def decide(chain, member, org_id: int, *actions, tags: tuple[str, ...] = ()) -> proposals.Proposal:
    """Propose ``actions`` and vote yes in one block; return the proposal after END_BLOCK (executed or failed)."""
    proposal_id = proposals.next_id(chain.state)
    result = chain.block(chain.tx(member, SubmitProposal(org_id, "decide", "", tuple(actions), tags)),
                         chain.tx(member, Vote(proposal_id, YES)))
    assert all(t.ok for t in result.txs), [(t.codespace, t.code, t.log) for t in result.txs]
    return proposals.require(chain.state, proposal_id)
