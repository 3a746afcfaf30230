"""graphql_api.cache.ResponseCache: bounded in entries, in total bytes and per entry."""

from __future__ import annotations

from types import SimpleNamespace

from graphql_api.cache import ResponseCache, entry_size


def answer(size: int) -> SimpleNamespace:
    return SimpleNamespace(data={"x": "a" * size})


def key(n: int) -> tuple:
    return ResponseCache.key(f"q{n}", {}, None, 1)


def test_an_entry_counts_its_json_and_its_key_text():
    k = key(1)
    assert entry_size(k, answer(10)) == len('{"x":"' + "a" * 10 + '"}') + len("q1") + len("{}")


def test_an_answer_over_the_entry_bound_is_not_kept():
    cache = ResponseCache(10, max_bytes=10_000, entry_bytes=1_000)
    cache.put(key(1), answer(2_000))
    assert cache.get(key(1)) is None and cache.skipped == 1 and cache.total_bytes == 0


def test_least_recently_used_entries_leave_until_the_bytes_fit():
    cache = ResponseCache(100, max_bytes=3_000, entry_bytes=1_000)
    for n in range(3):
        cache.put(key(n), answer(900))
    cache.get(key(0))                       # 0 is now the most recently used
    cache.put(key(3), answer(900))
    assert cache.get(key(1)) is None and all(cache.get(key(n)) is not None for n in (0, 2, 3))
    assert cache.total_bytes <= 3_000


def test_the_entry_count_still_bounds_small_answers():
    cache = ResponseCache(2)
    for n in range(3):
        cache.put(key(n), answer(1))
    assert len(cache) == 2 and cache.get(key(0)) is None


def test_replacing_an_entry_does_not_count_it_twice():
    cache = ResponseCache(10, max_bytes=10_000, entry_bytes=5_000)
    cache.put(key(1), answer(100))
    first = cache.total_bytes
    cache.put(key(1), answer(100))
    assert cache.total_bytes == first and len(cache) == 1


def test_a_size_of_zero_keeps_nothing():
    cache = ResponseCache(0)
    cache.put(key(1), answer(1))
    assert len(cache) == 0
