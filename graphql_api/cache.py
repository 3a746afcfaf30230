"""Response cache per committed block: the same query at the same height has the same answer.

Keyed by (query text, variables, operation name, height of the operation's read
transaction), so an answer is only reused while no new block has committed (or
when it names an explicit ``block:``, for as long as it stays in the cache).
Only error-free query results are stored; mutations and subscriptions never are.
Least recently used entries leave first.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from typing import Any


class ResponseCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[tuple, Any] = OrderedDict()

    @staticmethod
    def key(query: str | None, variables: dict | None, operation: str | None, height: int) -> tuple:
        return query, json.dumps(variables or {}, sort_keys=True, default=str), operation, height

    def get(self, key: tuple) -> Any:
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: tuple, result: Any) -> None:
        if self.size <= 0:
            return
        self._entries[key] = result
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
