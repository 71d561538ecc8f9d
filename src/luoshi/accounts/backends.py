"""The authentication backend: Django's model backend plus lock-out and audit records."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend

from luoshi.accounts import audit
from luoshi.accounts.lockout import is_locked


class LockoutBackend(ModelBackend):
    """Refuses locked-out user names and records every success and failure."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        username = str(username)[:150]
        if is_locked(username):
            audit.record("login_locked", request, username=username)
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            audit.record("login_failed", request, username=username)
        else:
            audit.record("login", request, user=user)
        return user
