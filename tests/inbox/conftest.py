"""The ledger's personas (world), its reports on plan A (reported), and the proposal personas."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.proposals import conftest as proposals
from tests.supervision_web import conftest as sw
from tests.web import conftest as web

world = web.world
login = web.login
office_day = web.office_day
reported = sw.reported
people = proposals.people


@pytest.fixture
def real_cache():
    """A cache that keeps what it is given (the test settings' default keeps nothing)."""
    from django.core.cache import cache

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        cache.clear()  # every LocMemCache of one name shares its store: start each test empty
        yield
        cache.clear()
