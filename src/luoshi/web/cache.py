"""The caches shared by the ``luoshi serve`` processes: files on one machine, Redis on several."""

from __future__ import annotations

import logging
import pickle
import threading
import time
import zlib
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.cache.backends.redis import RedisCache


class FileCache(FileBasedCache):
    """``FileBasedCache`` that checks its size at most every ``CULL_EVERY`` seconds per process,
    and compresses what it writes at zlib's fastest level.

    The stock backend lists every file in the cache folder on each ``set`` to decide whether to
    cull; with thousands of cached pages that listing costs more than rendering the page. Between
    checks the folder may grow past ``MAX_ENTRIES`` by what one process writes in that time.

    It also compresses at zlib's default level: a 200 KB page of figures took 7 ms to store that
    way against 2 ms at level 1, for files a sixth larger. Reading is the same at any level.
    """

    CULL_EVERY = 30.0
    COMPRESS_LEVEL = 1

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._next_cull = 0.0

    def _cull(self):
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + self.CULL_EVERY
        super()._cull()

    def _write_content(self, file, timeout, value):
        expiry = self.get_backend_timeout(timeout)
        file.write(pickle.dumps(expiry, self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), self.COMPRESS_LEVEL))


log = logging.getLogger(__name__)


class _Health:
    """What the processes' caches on one Redis server know about it: down since when, and which
    keys they could not write while it was.

    A write that fails leaves Redis holding an older value: a session that was logged out, a
    stamp that was renewed. Those keys are deleted first thing once Redis answers again, so the
    old value is not served after the outage (past ``MAX_PENDING`` keys, the whole cache is cleared).
    """

    MAX_PENDING = 10_000

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0  # monotonic time before which Redis is not asked again
        self.down = False
        self.pending: set[str] = set()
        self.clear_all = False

    def resting(self) -> bool:
        return self.down and time.monotonic() < self.down_until

    def remember(self, keys) -> None:
        with self.lock:
            if keys is ALL:
                self.clear_all = True
            else:
                self.pending.update(keys)
            if len(self.pending) > self.MAX_PENDING:
                self.pending.clear()
                self.clear_all = True

    def failed(self, location: str, error: Exception, keys, retry_after: float) -> None:
        self.remember(keys)
        with self.lock:
            self.down_until = time.monotonic() + retry_after
            if self.down:
                return
            self.down = True
        # Once per outage, not once per request: pages go on without the cache meanwhile.
        log.warning(
            "shared cache %s unreachable (%s): sessions from the database, pages built uncached",
            _safe(location),
            error,
        )

    def answered(self, location: str) -> None:
        if not self.down:
            return
        with self.lock:
            was_down, self.down = self.down, False
        if was_down:
            log.warning("shared cache %s answers again", _safe(location))


ALL = object()  # pending: the whole cache must be cleared
_health: dict[str, _Health] = {}
_health_lock = threading.Lock()


def _safe(location: str) -> str:
    """The cache's address without a password, for the log."""
    parts = urlsplit(location)
    where = f"{parts.hostname or ''}:{parts.port}" if parts.port else parts.hostname or ""
    return parts._replace(netloc=where).geturl()


class SharedRedisCache(RedisCache):
    """Django's Redis cache for several machines, which a Redis outage does not take down.

    Every call that fails with a Redis or socket error answers as a miss (``get`` gives the
    default, ``add``/``set`` give False), and Redis is left alone for ``RETRY_AFTER`` seconds so
    requests do not each wait for a connection timeout. Sessions (cached_db) then come from the
    database, pages are built uncached. The outage is logged once, and so is the recovery.
    """

    RETRY_AFTER = 5.0

    def __init__(self, server, params):
        super().__init__(server, params)
        import redis

        self._errors = (redis.exceptions.RedisError, OSError)
        self._location = server if isinstance(server, str) else ",".join(server)
        with _health_lock:
            self._health = _health.setdefault(self._location, _Health())

    def _call(self, fallback, keys, operation, *args, **kwargs):
        health = self._health
        if health.resting():
            health.remember(keys)
            return fallback
        try:
            if health.pending or health.clear_all:
                self._forget_pending()
            result = operation(*args, **kwargs)
        except self._errors as error:
            health.failed(self._location, error, keys, self.RETRY_AFTER)
            return fallback
        health.answered(self._location)
        return result

    def _forget_pending(self) -> None:
        health = self._health
        with health.lock:
            keys, clear_all = list(health.pending), health.clear_all
            health.pending.clear()
            health.clear_all = False
        try:
            if clear_all:
                self._cache.clear()
            elif keys:
                self._cache.delete_many(keys)
        except BaseException:
            health.remember(ALL if clear_all else keys)
            raise

    def _keys(self, keys, version=None) -> list[str]:
        return [self.make_and_validate_key(key, version=version) for key in keys]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, self._keys([key], version), super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call(default, (), super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, self._keys([key], version), super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(False, (), super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(False, self._keys([key], version), super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._call({}, (), super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._call(False, (), super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._call(None, self._keys([key], version), super().incr, key, delta, version)
        if result is None:
            raise ValueError(f"Key '{key}' not found (the cache is unreachable)")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        failed = list(data)
        return self._call(failed, self._keys(data, version), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        keys = list(keys)
        return self._call(None, self._keys(keys, version), super().delete_many, keys, version)

    def clear(self):
        return self._call(False, ALL, super().clear)
