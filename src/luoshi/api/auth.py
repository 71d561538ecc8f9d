"""API authentication: hashed bearer tokens for other systems, the session for the browser."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from luoshi.accounts import audit
from luoshi.accounts.lockout import is_locked
from luoshi.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = ApiToken.objects.filter(digest=ApiToken.digest_of(token)).select_related("user").first()
        if row is None or not row.user.is_active:
            audit.record("api_auth_failed", request, detail=f"token {token[:10]}")
            return None
        if is_locked(row.user.get_username()):
            audit.record("api_auth_locked", request, user=row.user, detail=f"token {row.prefix}")
            return None
        # Touch last_used at most once a minute, not on every request.
        now = timezone.now()
        if row.last_used is None or (now - row.last_used).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used=now)
        request.user = row.user
        return row.user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; ninja checks the CSRF token on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None
