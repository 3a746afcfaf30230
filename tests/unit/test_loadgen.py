"""The load generator's pacing: a fixed rate, and as fast as accepted with mempool backpressure."""

import asyncio

from bench.loadgen import AUTO, AUTO_FLOOR, LoadResult, _block_figures, _mark, _pace, _quiet_for, _Tracker


async def test_as_fast_as_accepted_pauses_while_the_mempool_is_at_the_backpressure_mark():
    queue, result = asyncio.Queue(), LoadResult(mempool_last=5_000)
    pacer = asyncio.create_task(_pace(queue, 3, None, 1, result, backpressure=3_000))
    await asyncio.sleep(0.05)
    assert queue.qsize() == 0 and result.sent == 0          # held back: the mempool is full
    result.mempool_last = 100
    await asyncio.wait_for(pacer, 2)
    assert result.sent == 3 and [queue.get_nowait() for _ in range(4)] == [0, 1, 2, None]


async def test_without_backpressure_everything_is_queued_at_once():
    queue, result = asyncio.Queue(), LoadResult(mempool_last=5_000)
    await asyncio.wait_for(_pace(queue, 3, None, 4, result), 2)
    assert result.sent == 3


async def test_a_fixed_rate_spaces_the_sends():
    queue, result = asyncio.Queue(), LoadResult()
    loop = asyncio.get_running_loop()
    start = loop.time()
    await _pace(queue, 5, 100.0, 1, result)
    assert loop.time() - start >= 0.04 - 0.005 and result.sent == 5   # 5 sends at 100/s, 5 ms slack


def test_the_auto_mark_is_twice_the_largest_block_seen_and_never_below_the_floor():
    tracker = _Tracker([])
    assert _mark(AUTO, tracker) == AUTO_FLOOR and _mark(3_000, tracker) == 3_000
    tracker.largest = 4_000
    assert _mark(AUTO, tracker) == 8_000


def test_block_figures_are_the_median_interval_and_size_of_the_blocks_holding_our_transactions():
    tracker, result = _Tracker([]), LoadResult()
    for height, seen, ours in ((5, 1.0, 2), (6, 1.1, 3), (8, 1.3, 4)):   # height 7 held none of ours: per height
        tracker.seen_at[height] = seen
        tracker.positions[height] = [(i, i) for i in range(ours)]
    _block_figures(tracker, result)
    assert round(result.block_ms) == 100 and result.txs_per_block == 3 and result.largest_block == 4


def test_a_run_is_not_called_quiet_before_two_seconds_have_passed_since_the_last_send():
    import time
    tracker = _Tracker([b"tx"])
    now = time.perf_counter()
    assert not _quiet_for(tracker, 2.0, since=now)            # nothing committed yet, but just sent
    assert _quiet_for(tracker, 2.0, since=now - 3.0)
    tracker.committed_at[0] = now
    assert not _quiet_for(tracker, 2.0, since=now - 3.0)      # a commit just now
