"""Fixtures for the web tests; the personas themselves live in world.py."""

from __future__ import annotations

import pytest

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
