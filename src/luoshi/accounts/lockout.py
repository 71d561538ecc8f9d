"""Lock-out and login throttling, with counters the database changes atomically.

Every password check first takes (``claim``):

1. a token from the site's bucket (``LOGIN_PER_MINUTE``), so a flood from many addresses cannot
   keep the server hashing passwords;
2. a token from the client address's bucket (``LOGIN_PER_MINUTE_PER_IP``);
3. a failure slot of the user name: its count goes up *before* the password is checked, in one
   conditional UPDATE that succeeds only while fewer than ``LOCKOUT_FAILURES`` are counted within
   ``LOCKOUT_MINUTES``. Forty guesses at once therefore check at most five passwords; checking
   first and recording the failure after let nine through.

A correct password gives its slot back (``succeeded``); a wrong one keeps it (``failed``), and the
fifth locks the name, which also ends its sessions (``accounts.middleware``) and refuses its API
tokens while it lasts. Every UPDATE here is a single statement on one row, so it holds on SQLite
and PostgreSQL alike without a lock held across the slow password hash.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Least
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from luoshi.accounts.models import LoginBucket, LoginFailures

OK, LOCKED, THROTTLED = "ok", "locked", "throttled"
SITE = "*"
STALE = dt.timedelta(days=30)  # a lock older than any session can be is forgotten


def claim(username: str, ip: str | None, now: dt.datetime | None = None) -> str:
    """Take what one password check needs: OK, or THROTTLED / LOCKED (nothing to check)."""
    now = now or timezone.now()
    site = settings.LOGIN_PER_MINUTE
    if not _take(SITE, site, max(1.0, site / 4), now.timestamp()):
        return THROTTLED
    per_ip = settings.LOGIN_PER_MINUTE_PER_IP
    if ip and not _take(f"ip:{ip}", per_ip, per_ip, now.timestamp()):
        return THROTTLED
    return OK if _count_attempt(username, now) else LOCKED


def _take(key: str, per_minute: float, capacity: float, now: float) -> bool:
    """One token from ``key``'s bucket, refilled at ``per_minute`` up to ``capacity``."""
    refilled = Least(Value(float(capacity)), F("tokens") + (Value(now) - F("updated")) * Value(per_minute / 60))
    bucket = LoginBucket.objects.filter(key=key)
    if bucket.filter(GreaterThanOrEqual(refilled, 1.0)).update(tokens=refilled - 1, updated=now):
        return True
    if not bucket.exists():
        try:
            with transaction.atomic():
                LoginBucket.objects.create(key=key, tokens=capacity - 1, updated=now)
        except IntegrityError:
            pass  # another request made it first: take from it as it stands
        else:
            LoginBucket.objects.filter(updated__lt=now - 3600).delete()  # addresses quiet for an hour
            return True
    # Asked again: the bucket may have been made by another request after the first UPDATE missed it.
    return bool(bucket.filter(GreaterThanOrEqual(refilled, 1.0)).update(tokens=refilled - 1, updated=now))


def _count_attempt(username: str, now: dt.datetime) -> bool:
    """Count one more attempt for ``username``, unless it is locked; True when counted."""
    cutoff = now - dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    limit = settings.LOCKOUT_FAILURES
    rows = LoginFailures.objects.filter(username=username).filter(Q(count__lt=limit) | Q(last__lt=cutoff))
    # Failures older than the lock-out window count no more: the first attempt after it starts at one.
    counted = Case(When(last__lt=cutoff, then=Value(1)), default=F("count") + 1)
    if rows.update(count=counted, last=now):
        return True
    if LoginFailures.objects.filter(username=username).exists():
        # Asked again: the row may have been made by another attempt after the UPDATE missed it.
        return bool(rows.update(count=counted, last=now))
    try:
        with transaction.atomic():
            LoginFailures.objects.create(username=username, count=1, last=now)
    except IntegrityError:
        return _count_attempt(username, now)
    LoginFailures.objects.filter(
        Q(last__lt=now - STALE) | Q(last__lt=now - dt.timedelta(days=1), locked_at__isnull=True)
    ).delete()
    return True


def succeeded(username: str) -> None:
    """The password was right: the attempts counted so far are forgotten (a past lock is not)."""
    LoginFailures.objects.filter(username=username).update(count=0)


def failed(username: str, now: dt.datetime | None = None) -> bool:
    """The password was wrong: its attempt stays counted. True when this failure locked the name."""
    now = now or timezone.now()
    return bool(
        LoginFailures.objects.filter(username=username, count__gte=settings.LOCKOUT_FAILURES)
        .exclude(locked_at__gte=now - dt.timedelta(minutes=settings.LOCKOUT_MINUTES))
        .update(locked_at=now)
    )


def is_locked(username: str, now: dt.datetime | None = None) -> bool:
    """True when ``username`` failed LOCKOUT_FAILURES times within the last LOCKOUT_MINUTES."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
    return LoginFailures.objects.filter(
        username=username, count__gte=settings.LOCKOUT_FAILURES, last__gte=cutoff
    ).exists()
