"""The copy-on-write overlay: prefix queries see base and writes merged, and cost O(log n + k)."""

from __future__ import annotations

from abci_app.chain.state.delta import Delta
from abci_app.chain.state.protocols import DictState
from tests.support.calls import counted_calls


def base_with(*keys: bytes) -> DictState:
    return DictState({k: b"base:" + k for k in keys})


def keys_of(pairs) -> list[bytes]:
    return [k for k, _ in pairs]


def test_prefix_query_merges_base_and_writes_in_key_order():
    delta = Delta(base_with(b"a/1", b"a/3", b"a/5", b"b/1"))
    delta.put(b"a/4", b"new")
    delta.put(b"a/0", b"new")
    delta.put(b"c/1", b"other prefix")
    assert keys_of(delta.iter_prefix(b"a/")) == [b"a/0", b"a/1", b"a/3", b"a/4", b"a/5"]
    assert keys_of(delta.iter_prefix(b"a/", reverse=True)) == [b"a/5", b"a/4", b"a/3", b"a/1", b"a/0"]


def test_a_write_shadows_the_base_value_and_a_delete_hides_the_key():
    delta = Delta(base_with(b"a/1", b"a/2", b"a/3"))
    delta.put(b"a/2", b"overwritten")
    delta.delete(b"a/3")
    delta.put(b"a/9", b"added")
    delta.delete(b"a/9")
    assert list(delta.iter_prefix(b"a/")) == [(b"a/1", b"base:a/1"), (b"a/2", b"overwritten")]


def test_start_bounds_the_walk_forward_inclusive_and_reverse_exclusive():
    delta = Delta(base_with(b"a/1", b"a/3"))
    delta.put(b"a/2", b"x")
    delta.put(b"a/4", b"x")
    assert keys_of(delta.iter_prefix(b"a/", start=b"a/2")) == [b"a/2", b"a/3", b"a/4"]
    assert keys_of(delta.iter_prefix(b"a/", start=b"a/3", reverse=True)) == [b"a/2", b"a/1"]
    assert keys_of(delta.iter_prefix(b"a/", start=b"\x00")) == [b"a/1", b"a/2", b"a/3", b"a/4"]


def test_a_prefix_ending_in_ff_bytes_still_finds_its_keys():
    delta = Delta(base_with(b"\xff\xff1"))
    delta.put(b"\xff\xff0", b"x")
    delta.put(b"\xfe", b"outside")
    assert keys_of(delta.iter_prefix(b"\xff\xff")) == [b"\xff\xff0", b"\xff\xff1"]
    assert keys_of(delta.iter_prefix(b"")) == [b"\xfe", b"\xff\xff0", b"\xff\xff1"]


def test_a_fork_sees_its_parents_writes_and_reaches_them_only_by_apply():
    parent = Delta(base_with(b"k/1"))
    parent.put(b"k/2", b"parent")
    child = parent.fork()
    child.put(b"k/3", b"child")
    child.delete(b"k/1")
    assert keys_of(child.iter_prefix(b"k/")) == [b"k/2", b"k/3"]
    assert keys_of(parent.iter_prefix(b"k/")) == [b"k/1", b"k/2"]
    child.apply()
    assert keys_of(parent.iter_prefix(b"k/")) == [b"k/2", b"k/3"]
    assert parent.write_set() == [(b"k/1", None), (b"k/2", b"parent"), (b"k/3", b"child")]
    assert child.writes == {}


def test_merge_takes_recorded_writes_and_indexes_their_keys():
    delta = Delta(base_with(b"m/1"))
    delta.put(b"m/2", b"mine")
    delta.merge({b"m/2": b"theirs", b"m/0": b"new", b"m/1": None})
    assert list(delta.iter_prefix(b"m/")) == [(b"m/0", b"new"), (b"m/2", b"theirs")]


def test_keys_written_while_iterating_ahead_of_the_cursor_are_seen():
    delta = Delta(base_with())
    for n in range(40):
        delta.put(b"q/%03d" % (2 * n), b"x")
    seen = []
    for key, _ in delta.iter_prefix(b"q/"):
        seen.append(key)
        if key == b"q/010":
            delta.put(b"q/077", b"late")      # ahead: seen
            delta.put(b"q/001", b"behind")    # behind: not seen
    assert b"q/077" in seen and b"q/001" not in seen
    assert seen == sorted(seen) and len(seen) == 41


def test_the_walk_matches_a_plain_sorted_filter_on_many_mixed_writes():
    base = base_with(*(b"p/%04d" % n for n in range(0, 600, 3)))
    delta = Delta(base)
    for n in range(0, 600, 2):
        delta.put(b"p/%04d" % n, b"w")
    for n in range(0, 600, 5):
        delta.delete(b"p/%04d" % n)
    expected = sorted({b"p/%04d" % n for n in range(600) if (n % 3 == 0 or n % 2 == 0) and n % 5 != 0})
    assert keys_of(delta.iter_prefix(b"p/")) == expected
    assert keys_of(delta.iter_prefix(b"p/", reverse=True)) == expected[::-1]
    assert keys_of(delta.iter_prefix(b"p/", start=b"p/0300")) == [k for k in expected if k >= b"p/0300"]


def calls_to_query(delta: Delta, prefix: bytes) -> int:
    found, calls = counted_calls(lambda: list(delta.iter_prefix(prefix)))
    assert len(found) == 2
    return calls


def block_with_writes(n: int) -> Delta:
    """A block overlay holding ``n`` unrelated writes (indexed by one earlier query) and two keys under ``x/``."""
    delta = Delta(DictState())
    for i in range(n):
        delta.put(b"other/%08d" % i, b"v")
    delta.put(b"x/1", b"v")
    delta.put(b"x/2", b"v")
    list(delta.iter_prefix(b"warm/"))
    return delta


def test_a_prefix_query_does_not_rescan_the_blocks_other_writes():
    small, large = calls_to_query(block_with_writes(100), b"x/"), calls_to_query(block_with_writes(50_000), b"x/")
    assert large <= small + 10, (small, large)   # O(log n + k): a few more bisection steps at most
