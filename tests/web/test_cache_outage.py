"""A Redis outage under real ``luoshi serve`` processes: the shared cache's server is stopped while
two machines serve, and every page still answers, sessions come from the database, and each
process's log says so once.

tests/web/test_shared_cache.py covers the same with cache objects in one process; here the
outage is a killed ``redis-server`` and the servers are real, so the log is their own stderr.
"""

from __future__ import annotations

import time

import pytest
import redis as redis_client

from luoshi.web.cache import SharedRedisCache
from tests.web.services import RedisServer
from tests.web.test_serve import environment, luoshi
from tests.web.test_two_machines import USERS, Machine

PAGES = ("/ledger/", "/dashboard/", "/public/")


def log_of(machine: Machine) -> str:
    """Everything the server wrote to its stderr, once it has stopped."""
    machine.process.terminate()
    _out, err = machine.process.communicate(timeout=30)
    return err


@pytest.fixture
def outage(tmp_path, shared_database, redis_server):
    """Machines A and B on one database and the test's own Redis, which the test may stop."""
    env = {"DATABASE_URL": shared_database, "LUOSHI_CACHE_URL": redis_server.url}
    setup = environment(tmp_path / "a", **env)
    for step in (("manage", "migrate", "-v0"), ("manage", "shell", "-c", USERS)):
        result = luoshi(*step, env=setup)
        assert result.returncode == 0, result.stderr
    started = [Machine(tmp_path / name, **env) for name in ("a", "b")]
    yield started, redis_server
    for machine in started:
        if machine.process.poll() is None:
            machine.stop()


def test_with_redis_stopped_pages_answer_and_sessions_come_from_the_database(outage):
    (a, b), redis = outage
    session = a.sign_in("office")
    for page in PAGES:  # built once and cached in Redis
        assert a.get(page, session)[0] == 200
    redis.stop()
    # Long enough that each server asks Redis again (it is left alone RETRY_AFTER seconds after
    # a failure) and finds it still down: that must not be logged again.
    until = time.monotonic() + 2.5 * SharedRedisCache.RETRY_AFTER
    while time.monotonic() < until:
        for machine in (a, b):
            for page in PAGES:
                status, body = machine.get(page, session)
                assert status == 200, (machine.port, page, body[:300])
    assert ">office<" in b.get("/ledger/", session)[1]  # B read the session from the database
    fresh = b.sign_in("victim")  # a new sign-in is written to the database alone
    assert fresh is not None and a.get("/ledger/", fresh)[0] == 200
    a.sign_out(session)
    assert a.get("/ledger/", session)[0] == 302
    assert b.get("/ledger/", session)[0] == 302
    for machine in (a, b):
        log = log_of(machine)
        assert log.count("unreachable") == 1, log
        assert "sessions from the database, pages built uncached" in log


def test_once_redis_is_back_the_log_says_so_and_pages_are_cached_again(outage, tmp_path):
    (a, _b), redis = outage
    session = a.sign_in("office")
    port = redis.port
    redis.stop()
    for _ in range(3):
        assert a.get("/ledger/", session)[0] == 200
    again = RedisServer(tmp_path / "redis-again", port=port)  # the same address, empty
    try:
        cache = redis_client.Redis.from_url(again.url)
        # After a failure the cache is left alone a few seconds; a page after that asks it again,
        # and what that page reads and builds is written to it.
        for _ in range(120):
            assert a.get("/ledger/", session)[0] == 200
            if cache.dbsize():
                break
            time.sleep(0.25)
        assert cache.dbsize() > 0
        log = log_of(a)
        assert log.count("unreachable") == 1 and log.count("answers again") == 1, log
    finally:
        again.stop()
