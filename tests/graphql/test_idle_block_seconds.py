"""``status.idleBlockSeconds`` comes from the node's ``config.toml``: the dashboard uses it so an
idle devnet that makes an empty block only every 30 s is not announced as a stalled node."""

from __future__ import annotations

from graphql_api.config import idle_block_seconds_from_home


def home_with(tmp_path, consensus: str):
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "config.toml").write_text(f"[consensus]\n{consensus}\n")
    return tmp_path


def test_an_idle_chain_that_makes_an_empty_block_every_30s_says_30(tmp_path):
    home = home_with(tmp_path, 'create_empty_blocks = false\ncreate_empty_blocks_interval = "30s"')
    assert idle_block_seconds_from_home(home) == 30


def test_a_chain_that_never_makes_empty_blocks_says_0(tmp_path):
    assert idle_block_seconds_from_home(home_with(tmp_path, 'create_empty_blocks = false\ncreate_empty_blocks_interval = "0s"')) == 0


def test_minutes_and_seconds_add_up(tmp_path):
    home = home_with(tmp_path, 'create_empty_blocks = false\ncreate_empty_blocks_interval = "1m30s"')
    assert idle_block_seconds_from_home(home) == 90


def test_a_chain_making_blocks_continuously_or_an_unknown_home_says_nothing(tmp_path):
    assert idle_block_seconds_from_home(tmp_path) is None
    assert idle_block_seconds_from_home(home_with(tmp_path, 'create_empty_blocks = true\ncreate_empty_blocks_interval = "30s"')) is None
