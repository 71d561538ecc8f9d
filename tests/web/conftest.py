"""Fixtures for the web tests; the personas themselves live in world.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.web.services import object_store, redis_server, redis_url, shared_database  # noqa: F401 - fixtures
from tests.web.world import World


@pytest.fixture
def world(db) -> World:
    return World()


@pytest.fixture
def login(client):
    """Log ``client`` in as a user without going through the lock-out backend's audit rows."""

    def _login(user):
        client.force_login(user, backend="luoshi.accounts.backends.LockoutBackend")
        return client

    return _login


@pytest.fixture
def office_day(monkeypatch):
    """Set the office's day (the app's clock) for pages, services and jobs: ``office_day(date)``."""
    from luoshi.web import clock

    def _set(day: dt.date, hour: int = 9) -> None:
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
        monkeypatch.setattr(clock, "now", lambda: moment)

    return _set


@pytest.fixture(autouse=True)
def _fresh_option_lists():
    """Each test's database starts over, and with it the ledger's version numbers: drop the option
    lists, match counts and built pages a process keeps per version, so one test never sees another's."""
    from luoshi.ledger import fragments, pagecache, queries

    for forget in (fragments.clear_cache, queries.clear_counts, pagecache.forget_built):
        forget()
    yield
    for forget in (fragments.clear_cache, queries.clear_counts, pagecache.forget_built):
        forget()
