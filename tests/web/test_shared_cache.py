"""The cache on several machines: one Redis holds sessions, the pages' scope stamp, the dashboard's
figures and whole pages, and an outage of it takes no page down.

Each "machine" here is its own cache object on the same Redis server (as two `luoshi serve`
processes have), against a real ``redis-server``; tests/web/test_two_machines.py does the same
with real server processes.
"""

from __future__ import annotations

import logging
import time

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import caches
from django.test import override_settings

from luoshi.ledger import pagecache
from luoshi.web import env
from luoshi.web.cache import FileCache, SharedRedisCache
from tests.web.services import free_port

pytestmark = pytest.mark.django_db


def machine(url: str) -> SharedRedisCache:
    """The default cache as one more machine would build it from LUOSHI_CACHE_URL."""
    conf = env.caches(url, None)["default"]
    return SharedRedisCache(conf["LOCATION"], conf)


def session_on(cache) -> SessionStore:
    store = SessionStore()
    store._cache = cache
    return store


# -- settings -----------------------------------------------------------------------------------


def test_without_a_cache_url_the_caches_are_files_in_the_instance_folder(tmp_path):
    found = env.caches("", tmp_path)
    assert found["default"]["BACKEND"] == "luoshi.web.cache.FileCache"
    assert found["pages"]["LOCATION"] == tmp_path / "cache-pages"


def test_a_redis_url_puts_sessions_stamp_and_pages_in_redis_under_their_own_prefixes(tmp_path):
    found = env.caches("redis://cache.internal:6379/2", tmp_path)
    assert {found[a]["BACKEND"] for a in ("default", "pages")} == {"luoshi.web.cache.SharedRedisCache"}
    assert found["default"]["KEY_PREFIX"] != found["pages"]["KEY_PREFIX"]
    assert found["template_fragments"]["BACKEND"].endswith("LocMemCache")


@pytest.mark.parametrize("url", ["memcached://cache:11211", "redis://", "http://cache/"])
def test_a_cache_url_luoshi_cannot_use_is_refused_at_start(tmp_path, url):
    with pytest.raises(env.SettingError, match="LUOSHI_CACHE_URL"):
        env.caches(url, tmp_path)


# -- two machines, one Redis ------------------------------------------------------------------


def test_a_logout_on_one_machine_ends_the_session_on_the_other(redis_url):
    a, b = machine(redis_url), machine(redis_url)
    on_a = session_on(a)
    on_a["_auth_user_id"] = "7"
    on_a.save()
    on_b = SessionStore(session_key=on_a.session_key)
    on_b._cache = b
    assert on_b.load()["_auth_user_id"] == "7"  # B reads A's session (from Redis)
    on_a.delete()
    again = SessionStore(session_key=on_a.session_key)
    again._cache = b
    assert again.load() == {}


def test_with_a_cache_folder_per_machine_the_other_machine_kept_the_session(tmp_path):
    """Why several machines need the shared cache: each one's files keep what it read."""
    a = FileCache(str(tmp_path / "a"), {})
    b = FileCache(str(tmp_path / "b"), {})
    on_a = session_on(a)
    on_a["_auth_user_id"] = "7"
    on_a.save()
    on_b = SessionStore(session_key=on_a.session_key)
    on_b._cache = b
    assert on_b.load()["_auth_user_id"] == "7"  # now in B's own files too
    on_a.delete()
    stale = SessionStore(session_key=on_a.session_key)
    stale._cache = b
    assert stale.load()["_auth_user_id"] == "7"


def test_a_change_of_scope_on_one_machine_renews_the_stamp_the_other_reads(redis_url, settings):
    settings.CACHES = env.caches(redis_url, None)
    before = pagecache.scope_stamp()
    other = machine(redis_url)
    assert other.get(pagecache.SCOPE_KEY) == before
    time.sleep(0.001)
    pagecache.renew_scope()
    assert other.get(pagecache.SCOPE_KEY) != before


def test_pages_and_figures_are_kept_apart_from_sessions(redis_url, settings):
    settings.CACHES = env.caches(redis_url, None)
    caches["pages"].set("k", "page")
    caches["default"].set("k", "session")
    assert (caches["pages"].get("k"), caches["default"].get("k")) == ("page", "session")


# -- outage -------------------------------------------------------------------------------------


def test_with_redis_unreachable_calls_answer_as_misses_at_once_and_the_outage_is_logged_once(caplog):
    cache = machine(f"redis://127.0.0.1:{free_port()}/5")
    caplog.set_level(logging.WARNING, logger="luoshi.web.cache")
    started = time.monotonic()
    for i in range(50):
        assert cache.get(f"k{i}", "default") == "default"
        assert cache.set(f"k{i}", 1) is False
        assert cache.add(f"k{i}", 1) is False
        assert cache.get_many(["a", "b"]) == {}
        assert cache.set_many({"a": 1}) == ["a"]
    assert time.monotonic() - started < 5  # one connection attempt, then left alone a while
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_pages_and_sign_in_work_while_redis_is_down(client, world, caplog):
    caplog.set_level(logging.WARNING, logger="luoshi.web.cache")
    with override_settings(CACHES=env.caches(f"redis://127.0.0.1:{free_port()}/5", None)):
        client.force_login(world.office_a, backend="luoshi.accounts.backends.LockoutBackend")
        for _ in range(3):
            assert client.get("/ledger/").status_code == 200
            assert client.get("/dashboard/").status_code == 200
        client.post("/accounts/logout/")
        assert client.get("/ledger/").status_code == 302
    assert len([r for r in caplog.records if "unreachable" in r.getMessage()]) == 1


def test_a_session_ended_during_an_outage_is_not_served_from_redis_afterwards(redis_server, monkeypatch, caplog):
    caplog.set_level(logging.WARNING, logger="luoshi.web.cache")
    monkeypatch.setattr(SharedRedisCache, "RETRY_AFTER", 0.0)
    a, b = machine(redis_server.url), machine(redis_server.url)
    on_a = session_on(a)
    on_a["_auth_user_id"] = "7"
    on_a.save()
    with redis_server.paused():  # Redis keeps the session but does not answer
        on_a.delete()  # the database row goes; Redis cannot be told
    on_b = SessionStore(session_key=on_a.session_key)
    on_b._cache = b
    a.get("anything")  # A's next call, Redis answering again, deletes what it could not
    assert on_b.load() == {}
    messages = [r.getMessage() for r in caplog.records]
    assert sum("unreachable" in m for m in messages) == 1
    assert sum("answers again" in m for m in messages) == 1
