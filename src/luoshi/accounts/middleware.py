"""Sliding session expiry without a database write on every request; sessions older than a lock end."""

from __future__ import annotations

import time

from django.contrib.auth import logout

REFRESH_EVERY = 60  # seconds; the 30-minute idle timeout is thus kept to within a minute
LOGIN_AT = "_login_at"  # when the session signed in (epoch seconds), set on user_logged_in


def note_login_time(sender, request, user, **kwargs) -> None:
    """Receiver of ``user_logged_in``: remember in the session when it signed in."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = time.time()


class RefreshSessionMiddleware:
    """Push a signed-in session's expiry forward on activity, at most once a minute.

    SESSION_SAVE_EVERY_REQUEST would do the same with one write per request, which on SQLite
    serialises every page view behind the write lock.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            locked_at = getattr(user, "locked_at", None)
            if locked_at is not None and session.get(LOGIN_AT, 0) < locked_at.timestamp():
                # The account was locked after this session began (someone guessing its password):
                # whoever holds the session signs in again.
                logout(request)
                return self.get_response(request)
            now = int(time.time())
            if now - session.get("_refreshed", 0) >= REFRESH_EVERY:
                session["_refreshed"] = now  # marks the session modified, so it is saved with a new expiry
        return self.get_response(request)
