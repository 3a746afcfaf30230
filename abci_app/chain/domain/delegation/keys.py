"""State keys of the delegation module.

``BY_DELEGATOR`` + pad(org) + "/" + delegator + "/" + tag -> delegate; ``BY_DELEGATE``
+ pad(org) + "/" + delegate + "/" + delegator + "/" + tag -> "" (who votes for whom);
a proposal's delegation snapshot is stored per voter, so a vote reads only the
paths it moves: ``SNAPSHOT_HEAD`` + pad(proposal) -> its tags (present = the
proposal has a snapshot); ``SNAPSHOT_PATH`` + pad(proposal) + "/" + voter -> the
voter's path, for voters who delegate (a voter without a key votes only its own
weight); ``SNAPSHOT_THROUGH`` + pad(proposal) + "/" + member + "/" + voter -> ""
for each member on a voter's path (the paths a member's vote may move).
``LEGACY_SNAPSHOT`` is the layout before (one record with every path), read only
by the migration (``delegation.migration``).  Addresses and tags never contain "/".
"""

from __future__ import annotations

BY_DELEGATOR = b"dlg/d/"
BY_DELEGATE = b"dlg/t/"
LEGACY_SNAPSHOT = b"dlg/s/"    # + pad(proposal): the whole snapshot in one record (the layout before; migrated)
SNAPSHOT_HEAD = b"dlg/sh/"
SNAPSHOT_PATH = b"dlg/sp/"
SNAPSHOT_THROUGH = b"dlg/sr/"
DIRECT = b"dlg/dt/"     # + pad(proposal): the direct votes' tallies (small; rewritten at each vote)


def pad(number: int) -> bytes:
    return b"%020d" % number


def of_org(org_id: int) -> bytes:
    return BY_DELEGATOR + pad(org_id) + b"/"


def of_delegator(org_id: int, delegator: str) -> bytes:
    return of_org(org_id) + delegator.encode() + b"/"


def delegation(org_id: int, delegator: str, tag: str) -> bytes:
    return of_delegator(org_id, delegator) + tag.encode()


def to_delegate(org_id: int, delegate: str) -> bytes:
    return BY_DELEGATE + pad(org_id) + b"/" + delegate.encode() + b"/"


def backer(org_id: int, delegate: str, delegator: str, tag: str) -> bytes:
    return to_delegate(org_id, delegate) + delegator.encode() + b"/" + tag.encode()


def legacy_snapshot(proposal_id: int) -> bytes:
    return LEGACY_SNAPSHOT + pad(proposal_id)


def snapshot_head(proposal_id: int) -> bytes:
    return SNAPSHOT_HEAD + pad(proposal_id)


def snapshot_paths(proposal_id: int) -> bytes:
    return SNAPSHOT_PATH + pad(proposal_id) + b"/"


def snapshot_path(proposal_id: int, voter: str) -> bytes:
    return snapshot_paths(proposal_id) + voter.encode()


def through(proposal_id: int, member: str) -> bytes:
    """Prefix of the voters whose paths go through ``member`` (as a delegate)."""
    return SNAPSHOT_THROUGH + pad(proposal_id) + b"/" + member.encode() + b"/"


def direct(proposal_id: int) -> bytes:
    return DIRECT + pad(proposal_id)
