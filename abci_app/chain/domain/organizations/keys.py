"""State keys of the organizations module.

Ids are zero-padded decimals so key order is numeric order.  Every key starts
with ``PREFIX``; the sub-prefixes below end in ``/`` so none is a prefix of another.
"""

from __future__ import annotations

PREFIX = b"org/"
NEXT_ID = b"org/next_id"
ORG_PREFIX = b"org/o/"
TREASURY_PREFIX = b"org/t/"
ALLOWANCE_PREFIX = b"org/a/"
MEMBERSHIP_PREFIX = b"org/m/"     # + member address + "/" + pad(org id): the organizations an address belongs to
STATUS_PREFIX = b"org/s/"         # + pad(org id) -> "active" / "dissolved": checked without decoding the members
DISSOLVING_PREFIX = b"org/dq/"    # + %016x sequence -> org id: the dissolution cascade's queue, oldest first
DISSOLVING_SEQ = b"org/dseq"


def pad(number: int) -> bytes:
    return b"%020d" % number


def organization(org_id: int) -> bytes:
    return ORG_PREFIX + pad(org_id)


def status(org_id: int) -> bytes:
    return STATUS_PREFIX + pad(org_id)


def treasury(address: str) -> bytes:
    """Treasury address -> organization id (for fee sponsorship and queries)."""
    return TREASURY_PREFIX + address.encode()


def allowances(org_id: int) -> bytes:
    """Prefix of all fee allowances of one organization."""
    return ALLOWANCE_PREFIX + pad(org_id) + b"/"


def allowance(org_id: int, grantee: str) -> bytes:
    return allowances(org_id) + grantee.encode()


def memberships(member: str) -> bytes:
    """Prefix of the organizations ``member`` belongs to."""
    return MEMBERSHIP_PREFIX + member.encode() + b"/"


def membership(member: str, org_id: int) -> bytes:
    return memberships(member) + pad(org_id)


def dissolving(seq: int) -> bytes:
    return DISSOLVING_PREFIX + b"%016x" % seq
