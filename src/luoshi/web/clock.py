"""The office's clock: pages, services and jobs ask here what day it is.

One place, so that "the period being reported now" is the same on every page of a request, and
so that tests and demonstrations can set the day (they replace ``now``) without touching the
system clock. The framework-free packages never read it: they are handed the date.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current moment, time-zone aware."""
    return timezone.now()


def today() -> dt.date:
    """The office's date now, in the configured time zone."""
    return timezone.localdate(now())
