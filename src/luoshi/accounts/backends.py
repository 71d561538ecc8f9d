"""The authentication backend: Django's model backend plus lock-out and audit records."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from luoshi.accounts import audit
from luoshi.accounts.lockout import is_locked
from luoshi.accounts.models import Profile
from luoshi.web.sqlrows import columns, instances, table


@functools.cache
def _user_sql() -> str:
    user = get_user_model()
    return (
        f"SELECT {columns(user, 'u')}, {columns(Profile, 'p')} FROM {table(user)} u "
        f"LEFT JOIN {table(Profile)} p ON p.user_id = u.id WHERE u.id = %s"
    )


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

    def get_user(self, user_id):
        """The signed-in user with its profile, in one written-out query: every page view asks."""
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        rows = instances(_user_sql(), [pk], user_model, Profile)
        if not rows:
            return None
        user, profile = rows[0]
        # Cached even when None, so ``user.profile`` does not ask again for a user without one.
        user_model._meta.get_field("profile").set_cached_value(user, profile)
        return user if self.user_can_authenticate(user) else None
