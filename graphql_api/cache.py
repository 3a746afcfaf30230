"""Response cache per committed block: the same query at the same height has the same answer.

Keyed by (query text, variables, operation name, height of the operation's read
transaction), so an answer is only reused while no new block has committed (or
when it names an explicit ``block:``, for as long as it stays in the cache).
Only error-free query results are stored; mutations and subscriptions never are.

Bounded in entries (``size``) AND bytes: an entry's size is the length of its answer
as compact JSON plus its key's text (``entry_size``); an answer larger than
``entry_bytes`` is answered but not kept, and least recently used entries leave
until the total is at most ``max_bytes``.  JSON length understates the memory the
Python objects take (about 3 to 5 times that), so the defaults are set with that
factor in mind (docs/graphql.md "Limits").  Operations run in worker threads, so every
method takes the cache's lock.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any


def entry_size(key: tuple, result: Any) -> int:
    """Return the bytes ``result`` counts for under ``key``: its data as compact JSON plus the key's text."""
    data = json.dumps(getattr(result, "data", None), separators=(",", ":"), default=str)
    return len(data) + sum(len(part) for part in key if isinstance(part, str))


class ResponseCache:
    def __init__(self, size: int, max_bytes: int = 16 << 20, entry_bytes: int = 1 << 20) -> None:
        self.size = size
        self.max_bytes = max_bytes
        self.entry_bytes = min(entry_bytes, max_bytes)
        self.total_bytes = 0
        self.skipped = 0                  # answers too large to keep
        self._entries: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(query: str | None, variables: dict | None, operation: str | None, height: int) -> tuple:
        return query, json.dumps(variables or {}, sort_keys=True, default=str), operation, height

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple) -> Any:
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: tuple, result: Any) -> None:
        """Keep ``result`` unless the cache is off or it is larger than ``entry_bytes``."""
        if self.size <= 0:
            return
        nbytes = entry_size(key, result)
        with self._lock:
            if nbytes > self.entry_bytes:
                self.skipped += 1
                return
            old = self._entries.pop(key, None)
            if old is not None:
                self.total_bytes -= old[1]
            self._entries[key] = (result, nbytes)
            self.total_bytes += nbytes
            while len(self._entries) > self.size or self.total_bytes > self.max_bytes:
                self.total_bytes -= self._entries.popitem(last=False)[1][1]
