"""Resolving the delegation graph at a proposal's submission (a pure function of the delegations and voters).

For each voter, its next hop is its delegation for the first of the proposal's
tags (in sorted order) it has one for, else its general delegation (tag ""); a
hop to someone who is not a voter of the snapshot ends the path (the delegate
left the organization).  A path follows at most ``MAX_DEPTH`` hops and stops
before repeating a member (a cycle formed through different tags cannot loop).
"""

from __future__ import annotations

from typing import Iterable

from abci_app.chain.domain.delegation.state import Delegation, VoterPath

MAX_DEPTH = 3


def next_hops(delegations: Iterable[Delegation], tags: tuple[str, ...]) -> dict[str, str]:
    """Map each delegator to its delegate for a proposal tagged ``tags``."""
    best: dict[str, tuple[int, str]] = {}
    rank = {tag: i for i, tag in enumerate(sorted(tags))}
    for item in delegations:
        order = len(rank) if item.tag == "" else rank.get(item.tag)
        if order is None:
            continue
        if item.delegator not in best or order < best[item.delegator][0]:
            best[item.delegator] = (order, item.delegate)
    return {delegator: delegate for delegator, (_, delegate) in best.items()}


def paths(voters: Iterable[tuple[str, int]], hops: dict[str, str]) -> tuple[VoterPath, ...]:
    """Every voter's path (sorted by voter), following ``hops`` among voters only."""
    weights = dict(voters)
    out = []
    for voter in sorted(weights):
        via: list[str] = []
        current = voter
        while len(via) < MAX_DEPTH:
            nxt = hops.get(current)
            if nxt is None or nxt not in weights or nxt == voter or nxt in via:
                break
            via.append(nxt)
            current = nxt
        out.append(VoterPath(voter, weights[voter], tuple(via)))
    return tuple(out)
