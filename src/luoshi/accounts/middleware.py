"""Sliding session expiry without a database write on every request."""

from __future__ import annotations

import time

REFRESH_EVERY = 60  # seconds; the 30-minute idle timeout is thus kept to within a minute


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
            now = int(time.time())
            if now - session.get("_refreshed", 0) >= REFRESH_EVERY:
                session["_refreshed"] = now  # marks the session modified, so it is saved with a new expiry
        return self.get_response(request)
