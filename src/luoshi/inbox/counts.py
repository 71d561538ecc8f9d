"""The header's 待办 count on every page, cheap: one query for a stamp, then the cache.

The stamp is the newest row of each record that every change of an inbox item writes: the
ledger's history (reports, returns, assignments), the notices' transitions and the proposals'
events. Counts are cached per user under that stamp, the scope stamp (roles, units, a plan's
offices) and the day (what is late and which period is due change with it), so a change anywhere
shows on the next page and an unchanged system costs one indexed MAX() per table. A reporting
calendar changed in the admin (no history row) shows when the counts expire, after COUNTS_SECONDS.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import connection

from luoshi.inbox import items
from luoshi.ledger import pagecache

COUNTS_SECONDS = 10 * 60
_REQUEST_ATTR = "_inbox_stamp"


def _tables() -> list[str]:
    from luoshi.ledger.models import Change
    from luoshi.proposals.models import ProposalEvent
    from luoshi.supervision_web.models import NoticeTransition

    return [m._meta.db_table for m in (Change, NoticeTransition, ProposalEvent)]


def stamp(request=None) -> str:
    """The newest history, notice-transition and proposal-event ids in one query (once per request)."""
    if request is not None and hasattr(request, _REQUEST_ATTR):
        return getattr(request, _REQUEST_ATTR)
    select = ", ".join(f"(SELECT MAX(id) FROM {connection.ops.quote_name(t)})" for t in _tables())
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}")
        value = ".".join(str(v or 0) for v in cursor.fetchone())
    if request is not None:
        setattr(request, _REQUEST_ATTR, value)
    return value


def _key(user, today: dt.date, request=None) -> str:
    return f"inbox:{user.pk}:{pagecache.scope_stamp()}:{stamp(request)}:{today.isoformat()}"


def remember(user, today: dt.date, sections: dict, request=None) -> dict[str, int]:
    """Store the counts of ``sections`` just built for the inbox page, so the header agrees with it."""
    figures = items.count(sections)
    cache.set(_key(user, today, request), figures, COUNTS_SECONDS)
    return figures


def for_header(user, today: dt.date, request=None) -> dict[str, int]:
    """{"total": n, "late": m} for ``user`` on ``today``: from the cache, or gathered once."""
    key = _key(user, today, request)
    figures = cache.get(key)
    if figures is None:
        figures = items.count(items.for_user(user, today))
        cache.set(key, figures, COUNTS_SECONDS)
    return figures
