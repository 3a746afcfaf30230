"""The delegated tally: pure integer functions of a snapshot's paths and the votes cast.

Rule: a voter's weight counts for the choice of the first member on its path
(itself, then its delegate, then the delegate's delegate, up to ``MAX_DEPTH``)
who has voted; if none has, it is not counted.  A direct vote therefore overrides
the voter's delegation, and a delegate's vote carries the weight of every backer
who has not voted.  ``moves`` is the incremental form used when one vote comes in
(its cost is the number of paths through the voter times the path length);
``recount`` is the whole count, for checks.
"""

from __future__ import annotations

from typing import Callable, Iterable

from abci_app.chain.domain.delegation.state import VoterPath

CHOICES = (1, 2, 3)    # yes, no, abstain (proposals.messages)


def full_path(path: VoterPath) -> tuple[str, ...]:
    return (path.voter,) + path.via


def moves(paths: Iterable[VoterPath], voter: str, choice: int,
          voted: Callable[[str], int]) -> tuple[dict[int, int], int]:
    """Return the weight each choice gains (or loses) when ``voter`` votes ``choice``, and the backers' weight.

    The second value is the weight of other voters' paths the vote now carries.
    ``voted(address)`` is the choice an address already voted (0 if none); it is
    called only for members on paths through ``voter``.
    """
    delta = {c: 0 for c in CHOICES}
    carried = 0
    for path in paths:
        members = full_path(path)
        if voter not in members:
            continue
        at = members.index(voter)
        if any(voted(m) for m in members[:at]):
            continue                     # an earlier member already holds this weight
        holder = next((voted(m) for m in members[at + 1:] if voted(m)), 0)
        if holder:
            delta[holder] -= path.weight
        delta[choice] += path.weight
        carried += path.weight if path.voter != voter else 0
    return delta, carried


def recount(paths: Iterable[VoterPath], votes: dict[str, int]) -> dict[int, int]:
    """Count every path from scratch against ``votes`` (address -> choice)."""
    totals = {c: 0 for c in CHOICES}
    for path in paths:
        choice = next((votes[m] for m in full_path(path) if m in votes), 0)
        if choice:
            totals[choice] += path.weight
    return totals
