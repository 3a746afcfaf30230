"""The benchmark's collaboration mix stays a valid workload: every transaction of every phase succeeds."""

from bench import mix


def test_the_collaboration_mix_commits_every_transaction_of_the_whole_loop(tmp_path):
    count, seconds = mix.run(tmp_path / "db", cohorts=3)
    assert count == 3 * 18 and seconds > 0
