"""Lock-out after repeated failed logins, counted from the AuditLog rows themselves."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from luoshi.accounts.models import AuditLog


def is_locked(username: str, now=None) -> bool:
    """True when ``username`` failed LOCKOUT_FAILURES times within LOCKOUT_MINUTES since its last login."""
    now = now or timezone.now()
    since = now - timedelta(minutes=settings.LOCKOUT_MINUTES)
    last_ok = (
        AuditLog.objects.filter(username=username, event="login", at__gte=since)
        .order_by("-at")
        .values("at")
        .first()
    )
    if last_ok:
        since = last_ok["at"]
    failures = AuditLog.objects.filter(username=username, event="login_failed", at__gt=since).count()
    return failures >= settings.LOCKOUT_FAILURES
