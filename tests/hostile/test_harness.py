"""The harness itself: a healthy stack passes the check, and the check measures what it claims."""

from __future__ import annotations

from tests.hostile.harness import RSS_BOUND, rss_bytes


def test_a_fresh_stack_commits_blocks_and_answers_healthz(hostile):
    hostile.assert_healthy()
    assert hostile.checked


def test_the_graphql_memory_figure_is_that_of_the_server_process(hostile):
    current = rss_bytes(hostile.pid)
    assert 10 << 20 < current <= hostile.peak_rss() < RSS_BOUND
    hostile.assert_healthy()
