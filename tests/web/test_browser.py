"""In a real browser: a reporter submits a report, the office sees it on the dashboard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed (apt-get install chromium)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def page():
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; Django must still allow ORM calls here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        context = browser.new_context(locale="zh-CN")
        yield context.new_page()
        browser.close()
        # Inside Playwright's loop the test's ORM calls got connections of their own, which
        # pytest-django does not know of; left open, they stop it dropping the PostgreSQL test database.
        from django.db import connections

        connections.close_all()


def log_in(page, base: str, username: str) -> None:
    from tests.web.world import PASSWORD

    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_reporter_submits_and_office_sees_it_on_the_dashboard(live_server, page):
    from tests.web.world import World

    world = World()
    base = live_server.url

    log_in(page, base, "reporter_a")
    assert page.url.endswith("/inbox/")  # a reporter's day starts with what awaits the unit
    page.click("#inbox-report_due >> text=加快轨道交通建设")
    page.select_option("select[name=status]", "推进中")
    page.fill("textarea[name=narrative]", "城际铁路完成路基施工12公里。")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=进展已报送")
    assert "城际铁路完成路基施工12公里" in page.content()
    page.click("button:has-text('退出')")

    log_in(page, base, "office_a")
    page.goto(f"{base}/dashboard/")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert page.locator("#recent").inner_text().count("市交通运输局") == 1
    assert page.locator("#chart-plan canvas").count() == 1
    assert world.task_a.reports.count() == 1
