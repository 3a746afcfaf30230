"""The retain_height rule: the block window, the evidence age and the oldest snapshot."""

from __future__ import annotations

import json

from abci_app.adapter.retention import Retention, evidence_age_blocks


def test_without_retention_every_block_is_kept_and_versions_keep_their_setting():
    assert Retention(0, 100).retain_height(5000) == 0
    assert Retention(0, 100).versions_kept(1000) == 1000


def test_with_retention_the_window_is_the_larger_of_blocks_and_evidence_age():
    assert Retention(50, 20).retain_height(300) == 251
    assert Retention(50, 200).retain_height(300) == 101
    assert Retention(50, 20).retain_height(10) == 0


def test_blocks_from_the_oldest_snapshot_on_are_never_released():
    assert Retention(50, 0).retain_height(300, oldest_snapshot=200) == 200
    assert Retention(50, 0).retain_height(300, oldest_snapshot=280) == 251


def test_app_versions_follow_the_block_window():
    assert Retention(50, 20).versions_kept(1000) == 50
    assert Retention(5000, 0).versions_kept(1000) == 1000


def test_the_evidence_age_is_read_from_genesis_and_missing_means_zero(tmp_path):
    path = tmp_path / "genesis.json"
    path.write_text(json.dumps({"consensus_params": {"evidence": {"max_age_num_blocks": "100000"}}}))
    assert evidence_age_blocks(path) == 100000
    assert evidence_age_blocks(tmp_path / "missing.json") == 0
