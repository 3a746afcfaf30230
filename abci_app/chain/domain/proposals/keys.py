"""State keys of the proposals module.

Numbers are zero-padded decimals, so key order is numeric order.  The two
time-ordered indexes (``VOTING_ENDS``, ``EXECUTIONS``, ``state.timers`` format) hold one key per proposal
that block time still has to act on; the END_BLOCK hook reads them from the
start and stops at the first key in the future, so its cost is O(due proposals).
"""

from __future__ import annotations

from abci_app.chain.state import timers

PREFIX = b"prop/"
NEXT_ID = b"prop/next_id"
PROPOSAL_PREFIX = b"prop/p/"
VOTE_PREFIX = b"prop/v/"
VOTER_PREFIX = b"prop/w/"      # + pad(proposal) + "/" + address -> the voter's snapshotted weight (decimal)
BY_ORG_PREFIX = b"prop/o/"
VOTING_ENDS = b"prop/end/"     # + u64be time + u64be id: proposals in VOTING, by end of voting
EXECUTIONS = b"prop/exe/"      # + u64be time + u64be id: proposals PASSED, by earliest execution time


def pad(number: int) -> bytes:
    return b"%020d" % number


def proposal(proposal_id: int) -> bytes:
    return PROPOSAL_PREFIX + pad(proposal_id)


def votes(proposal_id: int) -> bytes:
    """Prefix of all votes on one proposal."""
    return VOTE_PREFIX + pad(proposal_id) + b"/"


def vote(proposal_id: int, voter: str) -> bytes:
    return votes(proposal_id) + voter.encode()


def voters(proposal_id: int) -> bytes:
    """Prefix of one proposal's voter snapshot (one key per voter: a vote reads only its own)."""
    return VOTER_PREFIX + pad(proposal_id) + b"/"


def voter(proposal_id: int, address: str) -> bytes:
    return voters(proposal_id) + address.encode()


def by_org(org_id: int) -> bytes:
    """Prefix of one organization's proposal ids."""
    return BY_ORG_PREFIX + pad(org_id) + b"/"


def timed(prefix: bytes, time: int, proposal_id: int) -> bytes:
    return timers.time_key(prefix, time, proposal_id)


def parse_timed(prefix: bytes, key: bytes) -> tuple[int, int]:
    """Return ``(time, proposal_id)`` of a ``timed`` key."""
    time, (proposal_id,) = timers.parse_time_key(prefix, key)
    return time, proposal_id
