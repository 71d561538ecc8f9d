"""Whole-page caching (ledger.pagecache): never stale, never another user's page, CSRF still valid."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("page_cache"),
]

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


@pytest.fixture
def page_cache():
    from django.core.cache import cache

    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}):
        cache.clear()  # every LocMemCache of one name shares its store: start each test empty
        yield


def signed_in(user, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    client.force_login(user, backend="luoshi.accounts.backends.LockoutBackend")
    return client


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        get(client, url)
    return len(ctx)


def test_a_page_asked_for_again_comes_from_the_cache(world):
    client = signed_in(world.office_a)
    for url in ("/ledger/?status=未启动", f"/tasks/{world.task_a.pk}/", "/dashboard/"):
        first = queries(client, url)
        second = queries(client, url)  # built again, and stored this time
        assert queries(client, url) < min(first, second), url


def stored_pages() -> int:
    from django.core.cache import cache

    return sum(1 for key in cache._cache if re.search(r":page:(ledger|task|dashboard):", key))


def test_a_page_asked_for_once_is_not_written_to_the_cache(world):
    client = signed_in(world.office_a)
    get(client, f"/tasks/{world.task_a.pk}/")
    get(client, "/ledger/?status=已完成")
    assert stored_pages() == 0
    get(client, f"/tasks/{world.task_a.pk}/")
    assert stored_pages() == 1, "the second build is stored"


def test_a_report_shows_at_once_on_the_cached_ledger_and_task_pages(world):
    client = signed_in(world.reporter_a, enforce_csrf=True)
    task_url = f"/tasks/{world.task_a.pk}/"
    ledger_url = f"/ledger/?q={world.task_a.title[:6]}"
    first = client.get(task_url)
    period = first.context["period"]
    done = 'class="status-已完成"'
    assert done not in get(client, ledger_url)
    get(client, ledger_url)  # stored
    get(client, task_url)  # stored
    page = get(client, task_url)  # from the cache
    token = CSRF.search(page).group(1)
    assert token, "a cached page carries a CSRF token"
    response = client.post(
        f"/tasks/{world.task_a.pk}/report/",
        {"csrfmiddlewaretoken": token, "period": period, "status": "已完成", "narrative": "全部完成。"},
    )
    assert response.status_code == 302
    shown = client.get(task_url)
    assert "进展已报送" in shown.content.decode() and "全部完成。" in shown.content.decode()
    get(client, task_url)  # stored again
    assert "全部完成。" in get(client, task_url)  # the next one, from the cache, is current too
    assert done in get(client, ledger_url)


def test_a_task_edit_shows_at_once_on_the_cached_pages(world):
    client = signed_in(world.office_a, enforce_csrf=True)
    task_url = f"/tasks/{world.task_a.pk}/"
    get(client, task_url)
    get(client, task_url)
    page = get(client, task_url)  # from the cache
    get(client, "/ledger/")
    assert "改过的标题" not in get(client, "/ledger/")
    assert "改过的标题" not in get(client, "/ledger/")  # from the cache
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    response = client.post(
        f"/tasks/{world.task_a.pk}/edit/",
        {
            "csrfmiddlewaretoken": CSRF.search(page).group(1),
            "title": "改过的标题",
            "text": "",
            "domain": world.task_a.domain,
            "deadline": "",
            "version": version,
        },
    )
    assert response.status_code == 302
    assert "改过的标题" in get(client, task_url)
    assert "改过的标题" in get(client, "/ledger/")


def test_users_with_different_scopes_never_share_a_cached_page(world):
    a, b = signed_in(world.office_a), signed_in(world.office_b)
    link_a, link_b = (f'href="/tasks/{t.pk}/"' for t in (world.task_a, world.task_b))
    for _stored in range(2):
        get(a, "/ledger/"), get(b, "/ledger/")
    page_a, page_b = get(a, "/ledger/"), get(b, "/ledger/")  # both from the cache now
    assert link_a in page_a and link_a not in page_b
    assert link_b in page_b and link_b not in page_a
    get(a, f"/tasks/{world.task_a.pk}/"), get(a, f"/tasks/{world.task_a.pk}/")
    assert b.get(f"/tasks/{world.task_a.pk}/").status_code == 403  # a's cached task page is not b's
    everywhere, one_city = signed_in(world.leader), signed_in(world.leader_b)
    get(everywhere, "/dashboard/"), get(everywhere, "/dashboard/")
    city_a = json.dumps(world.city_a.name)[1:-1]  # in the charts' JSON
    assert city_a in get(everywhere, "/dashboard/")
    assert city_a not in get(one_city, "/dashboard/")


def test_a_change_of_scope_shows_at_once(world):
    client = signed_in(world.office_b)
    link = f'href="/tasks/{world.task_a.pk}/"'
    for _stored in range(3):
        assert link not in get(client, "/ledger/")
    world.plan_a.offices.add(world.office_b)
    assert link in get(client, "/ledger/")


def test_each_browser_gets_its_own_csrf_token_from_a_cached_page(world):
    one, two = signed_in(world.office_a, enforce_csrf=True), signed_in(world.office_a, enforce_csrf=True)
    url = f"/tasks/{world.task_a.pk}/"
    get(one, url), get(one, url)
    page = get(two, url)  # the same user's page, stored by the other browser
    token = CSRF.search(page).group(1)
    assert token and 'value=""' not in CSRF.search(page).group(0)
    publish = f"/plans/{world.plan_a.pk}/publish/"
    assert two.post(publish, {"csrfmiddlewaretoken": token, "published": "1"}).status_code == 302
    assert one.post(publish, {"csrfmiddlewaretoken": "x" * 64, "published": "1"}).status_code == 403


def test_the_cached_header_follows_the_role_and_the_language(world):
    office, reporter = signed_in(world.office_a), signed_in(world.reporter_a)
    import_link = 'href="/import/"'
    for _twice in range(2):  # the second round comes from the fragment cache
        assert import_link in get(office, "/plans/")
        assert import_link not in get(reporter, "/mine/")
        assert 'href="/mine/"' in get(reporter, "/mine/") and 'href="/mine/"' not in get(office, "/plans/")
    english = office.get("/plans/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">Import</a>" in english and ">导入</a>" not in english
    assert 'value="en" selected' in english and 'value="zh-hans" selected' not in english
