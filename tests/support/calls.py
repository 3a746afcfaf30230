"""Count the function calls a piece of code makes: a deterministic measure of work (never a timing)."""

from __future__ import annotations

import sys
from typing import Callable, TypeVar

T = TypeVar("T")


def counted_calls(fn: Callable[[], T]) -> tuple[T, int]:
    """Run ``fn``; return its result and the number of Python and C function calls it made."""
    count = 0

    def profile(frame, event, arg):
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    previous = sys.getprofile()
    sys.setprofile(profile)
    try:
        result = fn()
    finally:
        sys.setprofile(previous)
    return result, count
