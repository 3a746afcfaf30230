"""The CLI's answers: ``-o json`` schemas in ``docs/cli-schemas/`` match the code, and golden text views.

The golden files hold what a person reads for ``samen query agreement`` and
``samen query org``: ISO dates with the relative time, names for accounts,
policy and milestone statuses in words, milestones numbered from 1.  Refresh
them deliberately with ``SAMEN_GOLDEN=write``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from abci_app.chain import addresses, codec
from abci_app.tools.cli import render, schemas
from abci_app.chain.domain.agreements.state import Agreement, Milestone, MilestoneStatus
from abci_app.chain.domain.organizations.messages import OrgMember, OrgPolicy
from abci_app.chain.domain.organizations.state import Organization
from tests.support.node import signer_for

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"
NOW = 1_796_292_000            # 2026-12-03T10:00:00Z
ANN, DAVE = signer_for("ann").address, signer_for("dave").address
TREASURY = addresses.module("org/1")


def _names(address: str) -> str:
    return {TREASURY: f"{TREASURY} (treasury of organization 1)"}.get(address, address)


def _check_golden(name: str, lines: list[str]) -> None:
    path = GOLDEN / name
    text = "\n".join(lines) + "\n"
    if os.environ.get("SAMEN_GOLDEN") == "write":
        path.write_text(text)
    assert text == path.read_text()


def test_the_committed_json_schemas_are_the_ones_the_code_describes():
    committed = {p.stem: json.loads(p.read_text()) for p in (ROOT / "docs" / "cli-schemas").glob("*.json")}
    assert committed == schemas.answers(), "run: python -m abci_app.tools.cli.schemas docs/cli-schemas"


def test_the_text_view_of_an_agreement_shows_dates_names_amounts_and_milestones_from_1():
    stones = (Milestone("Course", 500, NOW + 3 * 86_400, MilestoneStatus.COMPLETED, delivered_at=NOW - 7_200,
                        settled_at=NOW - 3_600, to_provider=500),
              Milestone("Certificates", 300, NOW + 7 * 86_400, MilestoneStatus.ACTIVE))
    agreement = Agreement(2, TREASURY, DAVE, "", 800, 300, b"", ("first-aid",), 0, 1, 0, stones, NOW - 86_400,
                          NOW - 2 * 86_400, NOW - 86_400 - 600, 6, 0, revision=3)
    doc = json.loads(codec.encode_value(agreement))
    _check_golden("agreement.txt", render.view("agreement", doc, NOW, _names))


def test_the_text_view_of_an_organization_shows_its_policy_in_words_and_its_members():
    org = Organization(1, "EHBO Buurt", "first aid in the street", TREASURY,
                       (OrgMember(ANN, 2), OrgMember(DAVE, 1)), OrgPolicy(1, 2, 3_600, 600, True), "active",
                       NOW - 3 * 86_400)
    doc = json.loads(codec.encode_value(org))
    _check_golden("org.txt", render.view("org", doc, NOW, _names))


def test_times_read_as_iso_dates_with_the_time_relative_to_the_chain():
    assert render.when(NOW + 3 * 3_600, NOW) == "2026-12-03T13:00:00Z (in 3 h)"
    assert render.when(NOW - 300, NOW) == "2026-12-03T09:55:00Z (5 min ago)"
    assert render.when(0, NOW) == "-"
    assert render.period_label(2_970, "week") == "week from 2026-12-03"


class _AtBlock:
    """Stands in for the command's reader: only the latest block time is asked for."""

    def __init__(self, now: int) -> None:
        self._now = now

    def now(self) -> int:
        return self._now


def test_reputation_is_shown_decayed_to_the_latest_block_as_graphql_shows_it():
    from abci_app.chain.domain.reputation import decay
    from abci_app.tools.cli.market_query import decayed
    stored = {"address": ANN, "tag": "", "counts": {}, "score": 1_999, "score_time": NOW - 86_400,
              "half_life": 7_776_000}
    shown = decayed(_AtBlock(NOW), stored)
    assert shown["score"] == decay.decay(1_999, 86_400, 7_776_000) < 1_999 and shown["score_time"] == NOW
    assert decayed(_AtBlock(NOW - 86_400), stored) == stored       # no time passed: as stored
