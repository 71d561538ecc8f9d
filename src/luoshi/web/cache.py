"""The file cache shared by the ``luoshi serve`` processes, without a directory listing per write."""

from __future__ import annotations

import time

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    """``FileBasedCache`` that checks its size at most every ``CULL_EVERY`` seconds per process.

    The stock backend lists every file in the cache folder on each ``set`` to decide whether to
    cull; with thousands of cached pages that listing costs more than rendering the page. Between
    checks the folder may grow past ``MAX_ENTRIES`` by what one process writes in that time.
    """

    CULL_EVERY = 30.0

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.CULL_EVERY
        super()._cull()
