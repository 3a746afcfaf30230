"""State keys of the delegation module.

``BY_DELEGATOR`` + pad(org) + "/" + delegator + "/" + tag -> delegate; ``BY_DELEGATE``
+ pad(org) + "/" + delegate + "/" + delegator + "/" + tag -> "" (who votes for whom);
``SNAPSHOT`` + pad(proposal) -> the proposal's delegation snapshot.  Addresses and
tags never contain "/".
"""

from __future__ import annotations

BY_DELEGATOR = b"dlg/d/"
BY_DELEGATE = b"dlg/t/"
SNAPSHOT = b"dlg/s/"
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


def snapshot(proposal_id: int) -> bytes:
    return SNAPSHOT + pad(proposal_id)


def direct(proposal_id: int) -> bytes:
    return DIRECT + pad(proposal_id)
