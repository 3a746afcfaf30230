"""The load generator's pacing: a fixed rate, and as fast as accepted with mempool backpressure."""

import asyncio

from bench.loadgen import LoadResult, _pace


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
