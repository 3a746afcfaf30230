"""Operator-enabled crash points, in the spirit of CometBFT's ``FAIL_TEST_INDEX``.

``SAMEN_FAIL_POINT=<point>@<height>`` (read once by ``abci_app.__main__``) makes the
app process exit abruptly (``os._exit``, no cleanup) when it reaches ``point`` at
``height``.  Points: ``finalize_block`` (inside FinalizeBlock, before answering),
``after_commit`` (after the LMDB commit, before answering Commit).  Used by the
crash-recovery tests; off unless the variable is set.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from abci_app.chain.query_args import MAX_ID, parse_uint

POINTS = ("finalize_block", "after_commit")


@dataclass(frozen=True, slots=True)
class FailPoint:
    point: str = ""
    height: int = 0

    @classmethod
    def parse(cls, text: str | None) -> "FailPoint":
        if not text:
            return cls()
        point, _, height = text.partition("@")
        value = parse_uint(height, MAX_ID)
        if point not in POINTS or value is None:
            raise ValueError(f"SAMEN_FAIL_POINT must be <{'|'.join(POINTS)}>@<height>, got {text!r}")
        return cls(point, value)

    def hit(self, point: str, height: int) -> None:
        if self.point == point and self.height == height:
            print(f"samen: fail point {point}@{height} reached, exiting", file=sys.stderr, flush=True)
            os._exit(70)
