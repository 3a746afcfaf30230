"""Waits on chain conditions, for tests that must let the chain move on (never a fixed sleep).

A test that needs "later" names what later means on the chain:

* ``block_time(rpc, height=None) -> int``: a committed block's header time in whole
  seconds, the value the state machine sees as ``block.time``;
* ``wait_for_block_time_after(rpc, when, timeout) -> int``: wait until a committed
  block's time is past ``when`` (so any later transaction runs at a block time
  ``> when``); return that block's height;
* ``wait_for_new_blocks(rpc, count, timeout) -> int``: wait until ``count`` blocks above
  the current tip are committed; return the height reached;
* ``wait_for_quiet(read, quiet, timeout) -> value``: wait until ``read()`` has not changed
  for ``quiet`` seconds (e.g. the tip of a halted chain, after the last in-flight block).

Every wait polls, is bounded by ``timeout`` and raises ``WaitTimeout`` saying what it
waited for.  ``rpc`` is an ``abci_app.tools.client.rpc.RpcClient``.
"""

from __future__ import annotations

import time
from typing import Callable, TypeVar

from abci_app.tools.client.cometbft_types import parse_time
from abci_app.tools.client.rpc import NodeUnreachable, WaitTimeout

T = TypeVar("T")
POLL = 0.1


def block_time(rpc, height: int | None = None) -> int:
    """Return the header time (whole seconds) of the committed block at ``height`` (latest if ``None``)."""
    return parse_time(rpc.block(height)["block"]["header"]["time"])[0]


def wait_for_block_time_after(rpc, when: int, timeout: float = 60.0) -> int:
    """Wait until a committed block's time is past ``when`` (unix seconds); return its height."""
    deadline = time.monotonic() + timeout
    seen = None
    while True:
        try:
            header = rpc.block()["block"]["header"]
            seen = parse_time(header["time"])[0]
            if seen > when:
                return int(header["height"])
        except NodeUnreachable:
            pass
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"no committed block with a time past {when} within {timeout:g}s (last seen {seen})")
        time.sleep(POLL)


def wait_for_new_blocks(rpc, count: int = 1, timeout: float = 30.0) -> int:
    """Wait until ``count`` blocks above the current tip are committed; return the height reached."""
    return rpc.wait_for_height(rpc.height() + count, timeout)


def wait_for_quiet(read: Callable[[], T], quiet: float, timeout: float = 30.0) -> T:
    """Wait until ``read()`` returns the same value for ``quiet`` seconds in a row; return that value."""
    deadline = time.monotonic() + timeout
    value, since = read(), time.monotonic()
    while time.monotonic() - since < quiet:
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"value still changing after {timeout:g}s (last {value!r})")
        time.sleep(POLL)
        current = read()
        if current != value:
            value, since = current, time.monotonic()
    return value
