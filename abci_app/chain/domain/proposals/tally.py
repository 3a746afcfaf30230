"""The decision rule: pure integer functions of a policy and a tally.

``outcome`` answers PASSED or REJECTED as soon as the remaining (not yet cast)
weight can no longer change the result, and at the end of the voting period
(``final=True``) always answers.  Thresholds are capped at the snapshot's total
weight, so membership changes can never make an organization unable to decide.
"""

from __future__ import annotations

from abci_app.chain.domain.organizations.messages import BASIS_POINTS, LAZY, PERCENTAGE, THRESHOLD, OrgPolicy

PASSED = "passed"
REJECTED = "rejected"


def outcome(policy: OrgPolicy, total: int, yes: int, no: int, abstain: int, final: bool) -> str | None:
    """Return PASSED, REJECTED, or None while the result can still change."""
    remaining = total - yes - no - abstain
    if policy.kind == LAZY:
        objection = min(policy.threshold, total)
        if no >= objection:
            return REJECTED
        return PASSED if final or no + remaining < objection else None
    if policy.kind == PERCENTAGE:
        def reached(weight: int) -> bool:
            return weight * BASIS_POINTS >= policy.threshold * total
    elif policy.kind == THRESHOLD:
        def reached(weight: int) -> bool:
            return weight >= min(policy.threshold, total)
    else:
        return REJECTED if final else None     # unreachable for a validated policy
    if reached(yes):
        return PASSED
    return REJECTED if final or not reached(yes + remaining) else None
