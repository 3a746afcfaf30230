"""bench.adversarial: the due-queue measurement drains at the cap, and its drain check catches a block that does not."""

from __future__ import annotations

import pytest

from abci_app.chain.domain.due import DueQueue
from bench import adversarial


@pytest.mark.parametrize("kind", ["requests", "agreements"])
def test_a_small_backlog_is_measured_and_drains_at_the_cap(kind):
    row = adversarial.measure_due(kind, 300, repeat=1, drain=3, background=400)
    assert row["reports"] == [(256, True), (44, False)]
    assert row["blocks_to_drain"] == 2 and row["total"] == 400 and row["calls"] > 0


def test_the_drain_check_refuses_a_block_that_handles_less_than_the_cap_while_more_wait():
    with pytest.raises(AssertionError):
        adversarial.check_drain([DueQueue("requests", 200, True)], 1_000, 256)
    adversarial.check_drain([DueQueue("requests", 256, True), DueQueue("requests", 44, False)], 300, 256)
