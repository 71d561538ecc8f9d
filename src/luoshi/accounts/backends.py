"""The authentication backend: Django's model backend plus lock-out and audit records."""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from luoshi.accounts import audit, lockout
from luoshi.accounts.models import LoginFailures, Profile
from luoshi.web.sqlrows import columns, instances, table


@functools.cache
def _user_sql() -> str:
    user = get_user_model()
    username = user._meta.get_field(user.USERNAME_FIELD).column
    return (
        f"SELECT {columns(user, 'u')}, {columns(Profile, 'p')}, {columns(LoginFailures, 'f')} FROM {table(user)} u "
        f"LEFT JOIN {table(Profile)} p ON p.user_id = u.id "
        f"LEFT JOIN {table(LoginFailures)} f ON f.username = u.{username} WHERE u.id = %s"
    )


class LockoutBackend(ModelBackend):
    """Checks a password only when the throttles and the lock-out allow (``lockout.claim``), and
    records every success, failure and refusal.

    A refusal raises PermissionDenied, which makes Django's ``authenticate`` give up at once, and
    leaves ``request.login_refused`` (locked or throttled) for the login form to say why.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        username = str(username)[:150]
        verdict = lockout.claim(username, audit.client_ip(request))
        if verdict != lockout.OK:
            audit.record(f"login_{verdict}", request, username=username)
            if request is not None:
                request.login_refused = verdict
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            audit.record("login_failed", request, username=username)
            if lockout.failed(username):
                audit.record("account_locked", request, username=username)
        else:
            lockout.succeeded(username)
            audit.record("login", request, user=user)
        return user

    def get_user(self, user_id):
        """The signed-in user with its profile, in one written-out query: every page view asks."""
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = instances(_user_sql(), [pk], user_model, Profile, LoginFailures)
        if not rows:
            return None
        user, profile, failures = rows[0]
        # Cached even when None, so ``user.profile`` does not ask again for a user without one.
        user_model._meta.get_field("profile").set_cached_value(user, profile)
        window = dt.timedelta(minutes=settings.LOCKOUT_MINUTES)
        if failures is not None and failures.count >= settings.LOCKOUT_FAILURES and failures.last >= timezone.now() - window:
            return None  # locked: its sessions are worth nothing until the lock ends
        # A session that began before the last lock is ended (accounts.middleware).
        user.locked_at = failures.locked_at if failures is not None else None
        return user if self.user_can_authenticate(user) else None
