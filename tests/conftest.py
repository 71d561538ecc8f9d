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
