"""Whole-page caching for the busiest signed-in pages (ledger, task, dashboard).

A page is stored as rendered HTML bytes under a key made of:

- the user's id and a scope stamp (renewed whenever a role, a unit, a leader's cities, a
  plan's offices or its city change), so one user's page is never served to another, nor a page built
  for an older scope;
- the language, today's date (overdue marks, the current period) and the full URL with its query;
- the ledger's version, the id of the newest history row: every change through the services
  writes one, so a report or an edit shows on the very next request;
- the inbox's stamp (``inbox.counts.stamp``), since the header's 待办 count is part of the page.

A page is stored the second time this process builds it, not the first: most pages (a task opened
from a list) are asked for once, and writing each to the shared cache cost more than a tenth of
building it. The process remembers the keys of the last few thousand pages it built.

CSRF tokens are not stored: each hidden ``csrfmiddlewaretoken`` value is blanked before the
page is stored and filled with a fresh token for the requesting browser when it is served, so
a form posted from a cached page is accepted. Requests carrying flash messages bypass the cache.
"""

from __future__ import annotations

import hashlib
import re
import time

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

from luoshi.web import clock
from luoshi.web.lru import LRU

PAGE_SECONDS = 5 * 60
SCOPE_KEY = "page:scope"
_CSRF_VALUE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_BLANK = b'name="csrfmiddlewaretoken" value=""'
_built_once = LRU(4096)


def scope_stamp() -> str:
    """A value renewed by ``renew_scope``; a fresh one when the cache has lost it."""
    stamp = cache.get(SCOPE_KEY)
    if stamp is None:
        cache.add(SCOPE_KEY, str(time.time_ns()), None)
        stamp = cache.get(SCOPE_KEY) or "0"
    return stamp


def renew_scope_on_plan(update_fields=None, **_kwargs) -> None:
    """A plan's city is part of its offices' scope (the units they keep): a plan saved with its
    city, created or deleted renews the stamp; saving its title or publishing it does not."""
    if update_fields is None or "city" in update_fields:
        renew_scope()


def renew_scope(update_fields=None, **_kwargs) -> None:
    """Drop every cached page: who may see what has changed (a login's ``last_login`` is not that)."""
    if update_fields is not None and set(update_fields) <= {"last_login"}:
        return
    cache.set(SCOPE_KEY, str(time.time_ns()), None)


def _pages():
    """The cache that holds pages: their own when configured (see settings.CACHES), else the default."""
    return caches["pages"] if "pages" in settings.CACHES else cache


def _key(request, kind: str, version: int | str) -> str:
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    language = getattr(request, "LANGUAGE_CODE", "")
    day = clock.today().isoformat()
    # The header's 待办 count is part of the page: a new notice or proposal step renews it too.
    from luoshi.inbox.counts import stamp

    return f"page:{kind}:{request.user.pk}:{scope_stamp()}:{language}:{day}:{version}:{stamp(request)}:{url}"


def _has_messages(request) -> bool:
    return bool(len(get_messages(request)))


def cached_page(request, kind: str, version: int | str, render) -> HttpResponse:
    """The response of ``render()``, from the cache when the same page was stored for this user at
    this ``version``. Only plain 200 HTML responses to GET are stored, from their second build on."""
    if request.method != "GET" or not request.user.is_authenticated or _has_messages(request):
        return render()
    key = _key(request, kind, version)
    pages = _pages()
    stored = pages.get(key)
    if stored is not None:
        content_type, html = stored
        token = get_token(request).encode()  # also (re)sets the CSRF cookie, as rendering would
        return HttpResponse(
            html.replace(_CSRF_BLANK, _CSRF_BLANK[:-1] + token + b'"'), content_type=content_type
        )
    response = render()
    if (
        response.status_code == 200
        and not response.streaming
        and not getattr(request, "page_uncacheable", False)
        and _built_before(key)
    ):
        pages.set(key, (response["Content-Type"], _CSRF_VALUE.sub(rb"\1\2", response.content)), PAGE_SECONDS)
    return response


def _built_before(key: str) -> bool:
    """True when this process has built the page ``key`` before; remembers it for next time."""
    if _built_once.get(key):
        return True
    _built_once.put(key, True)
    return False


def forget_built() -> None:
    """Forget which pages were built (tests start each database over, version numbers with it)."""
    _built_once.clear()


def connect() -> None:
    """Renew the scope stamp on any change to who sees what (admin pages, commands, the shell)."""
    from django.contrib.auth import get_user_model

    from luoshi.accounts.models import Profile
    from luoshi.ledger.models import Plan

    for model in (get_user_model(), Profile):
        post_save.connect(renew_scope, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(renew_scope, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
    post_save.connect(renew_scope_on_plan, sender=Plan, dispatch_uid="pagecache-save-Plan")
    post_delete.connect(renew_scope_on_plan, sender=Plan, dispatch_uid="pagecache-delete-Plan")
    for through in (Profile.cities.through, Plan.offices.through):
        m2m_changed.connect(renew_scope, sender=through, dispatch_uid=f"pagecache-m2m-{through.__name__}")
