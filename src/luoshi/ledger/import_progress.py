"""Where a long upload or commit has got to, for the page that waits on it.

The page makes up a token for each submit (the hidden ``progress_token``); ``start_import`` and
``commit_import`` write their current stage under the user's id and that token in the default
cache, and ``/import/progress/<token>/`` reads it back for the same user only. An import never
depends on it: with no token, a malformed one or the dummy cache every call does nothing.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

TOKEN = re.compile(r"[A-Za-z0-9-]{8,64}")
# Long enough for the page to read the last stage after the response, short enough not to pile up.
TIMEOUT = 10 * 60

RUNNING, DONE, FAILED = "running", "done", "failed"


def clean_token(raw) -> str | None:
    """The token when it is 8–64 letters, digits or hyphens; anything else is ignored."""
    return raw if isinstance(raw, str) and TOKEN.fullmatch(raw) else None


def _key(user_id, token: str) -> str:
    return f"luoshi:import-progress:{user_id}:{token}"


@dataclass(slots=True)
class Tracker:
    """Writes one import's stages; ``key`` is None when there is nobody to tell."""

    key: str | None

    def stage(self, label: str, fraction: float) -> None:
        self._write(RUNNING, label, fraction)

    def done(self) -> None:
        self._write(DONE, _("完成"), 1.0)

    def failed(self, message: str) -> None:
        self._write(FAILED, _("导入失败"), 1.0, message)

    @contextmanager
    def watching(self, shown: tuple[type[Exception], ...]):
        """Report done when the block ends, failed when it raises: with the message of one of the
        ``shown`` errors (meant for users), else a generic one (internal errors stay in the log)."""
        try:
            yield self
        except shown as e:
            self.failed(str(e))
            raise
        except Exception:
            self.failed(_("导入失败，未写入任何内容"))
            raise
        self.done()

    def _write(self, state: str, label: str, fraction: float, message: str = "") -> None:
        if self.key is None:
            return
        value = {"state": state, "stage": str(label), "fraction": round(min(max(fraction, 0.0), 1.0), 3)}
        if message:
            value["message"] = message
        cache.set(self.key, value, TIMEOUT)


def tracker(user, token) -> Tracker:
    token = clean_token(token)
    if token is None or user is None or user.pk is None:
        return Tracker(None)
    return Tracker(_key(user.pk, token))


def read(user, token: str) -> dict | None:
    """What ``user``'s import with this token last reported; None for a token that is not theirs."""
    token = clean_token(token)
    if token is None:
        return None
    return cache.get(_key(user.pk, token))
