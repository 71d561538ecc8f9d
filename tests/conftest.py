"""Fixtures for every test."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _default_language():
    """A page asked for in English leaves English active in the test's thread; code called
    directly by the next test would then speak English where users see Chinese."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture
def kept_cache():
    """A cache that keeps what it is given (the test settings' dummy cache keeps nothing)."""
    from django.core.cache import cache
    from django.test import override_settings

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        cache.clear()  # every LocMemCache of one name shares its store: start each test empty
        yield
