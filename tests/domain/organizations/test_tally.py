"""The decision rule as a pure function: early decisions, end-of-period decisions, capping."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.organizations.messages import LAZY, PERCENTAGE, THRESHOLD, OrgPolicy
from abci_app.chain.domain.proposals.tally import PASSED, REJECTED, outcome


def rule(kind, threshold):
    return OrgPolicy(kind, threshold, 100, 0, False)


@pytest.mark.parametrize("kind, t, total, yes, no, abstain, final, expected", [
    (THRESHOLD, 3, 6, 3, 0, 0, False, PASSED),
    (THRESHOLD, 3, 6, 2, 0, 0, False, None),
    (THRESHOLD, 3, 6, 2, 4, 0, False, REJECTED),
    (THRESHOLD, 3, 6, 2, 0, 0, True, REJECTED),
    (THRESHOLD, 9, 6, 6, 0, 0, False, PASSED),            # capped at the total weight
    (THRESHOLD, 9, 6, 5, 0, 0, False, None),
    (PERCENTAGE, 6667, 3, 2, 0, 0, False, None),           # 66.66% < 66.67%
    (PERCENTAGE, 6666, 3, 2, 0, 0, False, PASSED),
    (PERCENTAGE, 5001, 4, 2, 0, 2, False, REJECTED),        # nothing left to reach 50.01%
    (PERCENTAGE, 10000, 4, 3, 0, 0, True, REJECTED),
    (LAZY, 2, 5, 0, 0, 0, False, None),
    (LAZY, 2, 5, 0, 0, 0, True, PASSED),                    # silence passes at the end
    (LAZY, 2, 5, 0, 2, 0, False, REJECTED),
    (LAZY, 2, 5, 3, 1, 0, False, None),                     # the one weight left could still object
    (LAZY, 2, 5, 3, 1, 1, False, PASSED),                   # nobody left: objections stay below 2
    (LAZY, 9, 3, 0, 3, 0, False, REJECTED),                 # objection weight capped at the total
    (LAZY, 9, 3, 0, 2, 0, True, PASSED),
])
def test_the_outcome_is_decided_exactly_when_it_can_no_longer_change(kind, t, total, yes, no, abstain, final,
                                                                     expected):
    assert outcome(rule(kind, t), total, yes, no, abstain, final) == expected


@pytest.mark.parametrize("kind, t", [(THRESHOLD, 1), (THRESHOLD, 4), (PERCENTAGE, 1), (PERCENTAGE, 5000),
                                     (PERCENTAGE, 10000), (LAZY, 1), (LAZY, 3)])
def test_an_early_decision_always_agrees_with_the_decision_at_the_end(kind, t):
    total = 4
    for yes in range(total + 1):
        for no in range(total + 1 - yes):
            for abstain in range(total + 1 - yes - no):
                early = outcome(rule(kind, t), total, yes, no, abstain, final=False)
                if early is None:
                    continue
                left = total - yes - no - abstain
                for extra_yes in range(left + 1):
                    for extra_no in range(left + 1 - extra_yes):
                        rest = left - extra_yes - extra_no
                        later = outcome(rule(kind, t), total, yes + extra_yes, no + extra_no, abstain + rest,
                                        final=True)
                        assert later == early, (yes, no, abstain, extra_yes, extra_no)
