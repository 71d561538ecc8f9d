"""What every answer carries or leaves out: no caching of internal data, no browser features the
site does not use, API docs for signed-in users from the server itself, a favicon, and a forbidden
page logged in one line."""

from __future__ import annotations

import logging
import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/ledger/", "/ledger/export.xlsx", "/units/export.xlsx", "/plans/", "/dashboard/", "TASK", "/api/plans"]
)
def test_pages_and_downloads_with_internal_data_are_not_stored_by_browsers_or_proxies(world, login, path):
    response = login(world.office_a).get(path.replace("TASK", f"/tasks/{world.task_a.pk}/"))
    assert response.status_code == 200
    assert {"private", "no-store"} <= {v.strip() for v in response["Cache-Control"].split(",")}


def test_every_page_refuses_browser_features_it_does_not_use(world, client):
    policy = client.get("/public/")["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_static_files_stay_cacheable(world, client):
    response = client.get("/static/luoshi/site.css")
    assert response.status_code == 200 and "no-store" not in response.get("Cache-Control", "")


def test_the_api_docs_and_schema_need_a_signed_in_user(world, client, login):
    for path in ("/api/docs", "/api/openapi.json"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    signed_in = login(world.reporter_a)
    assert signed_in.get("/api/openapi.json").status_code == 200
    page = signed_in.get("/api/docs")
    assert page.status_code == 200


def test_swagger_ui_is_served_from_the_site_itself(world, login):
    page = login(world.reporter_a).get("/api/docs").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from a CDN
    assert "/static/vendor/swagger-ui-bundle.js" in sources and "/static/vendor/swagger-ui.css" in sources
    client = login(world.reporter_a)
    for s in sources:
        if s.startswith("/static/"):
            assert client.get(s).status_code == 200, s


def test_the_site_has_a_favicon(world, client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200 and response["Content-Type"].startswith("image/")
    assert 'rel="icon"' in client.get("/public/").content.decode()


def test_an_ordinary_forbidden_page_is_logged_in_one_line_without_a_traceback(world, login, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert login(world.reporter_b).get(f"/plans/{world.plan_a.pk}/").status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records and all(r.exc_info is None and "\n" not in r.getMessage() for r in records)
