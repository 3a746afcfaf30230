"""Migration of proposals' voter snapshots and delegation snapshots to per-voter keys.

The layout before: a proposal record carried every voter with its weight
(``"voters": [{"address", "weight"}, ...]``) and a proposal's delegation snapshot
was one record with every path (``delegation.keys.LEGACY_SNAPSHOT``), so each
vote decoded and rewrote state proportional to the organization's size.  The
layout after: each voter's weight under ``proposals.keys.voter``, the record
without ``voters``; the snapshot as a head, the delegating voters' paths and the
index of who is on which path (``delegation.keys``); and each organization's status under its own key, so a
vote need not decode the organization's record with all its members.

``per_voter_keys(state, height)`` is an ordinary migration (``upgrades.registry``):
deterministic, one pass over the proposals and the legacy snapshots, bounded by
the state it rewrites.  Records already in the new layout are left alone, so a
state with both (or with neither) migrates correctly.  Where it is registered,
and why not yet in ``KNOWN``: ``docs/upgrades.md``, "Layout changes before the
first release".
"""

from __future__ import annotations

from abci_app.chain import codec
from abci_app.chain.domain.delegation import keys as delegation_keys, state as delegations
from abci_app.chain.domain.organizations import keys as org_keys, state as orgs
from abci_app.chain.domain.proposals import keys
from abci_app.chain.domain.proposals.state import Proposal
from abci_app.chain.state.protocols import StateWrite


def per_voter_keys(state: StateWrite, height: int) -> None:
    """Move every proposal's voters and every legacy delegation snapshot to per-voter keys.

    Also writes each organization's status key (``organizations.keys.status``), which
    a vote reads instead of the organization's record.
    """
    for org in list(orgs.all_organizations(state)):
        state.put(org_keys.status(org.id), org.status.encode())
    for key, raw in list(state.iter_prefix(keys.PROPOSAL_PREFIX)):
        doc = codec.read_plain(bytes(raw))
        if "voters" not in doc:
            continue
        proposal_id = int(doc["id"])
        for voter in doc.pop("voters"):
            state.put(keys.voter(proposal_id, voter["address"]), b"%d" % int(voter["weight"]))
        state.put(bytes(key), codec.encode_value(codec.from_plain(Proposal, doc)))
    for key, raw in list(state.iter_prefix(delegation_keys.LEGACY_SNAPSHOT)):
        delegations.put_snapshot(state, codec.decode_value(delegations.DelegationSnapshot, bytes(raw)))
        state.delete(bytes(key))
