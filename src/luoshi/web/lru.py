"""A small thread-safe least-recently-used map, for what one server process remembers."""

from __future__ import annotations

import threading
from collections import OrderedDict


class LRU:
    """At most ``size`` entries; the least recently read or written goes first."""

    def __init__(self, size: int):
        self.size, self._rows, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._rows.get(key)
            if value is not None:
                self._rows.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._rows[key] = value
            self._rows.move_to_end(key)
            while len(self._rows) > self.size:
                self._rows.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()
