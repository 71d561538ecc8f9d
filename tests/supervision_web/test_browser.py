"""In a real browser: the office opens a bulletin and its ECharts charts draw."""

from __future__ import annotations

import os

from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_the_bulletin_page_draws_its_charts(reported, live_server, page, tmp_path):
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/plans/{reported.plan_a.pk}/bulletin/?period=2024-03")
    page.wait_for_function("document.body.dataset.chartsReady === '1'", timeout=15000)
    assert page.locator("#chart-standings canvas").count() == 1
    assert page.locator("#chart-domain canvas").count() == 1
    if os.environ.get("LUOSHI_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["LUOSHI_SCREENSHOTS"], "bulletin.png"), full_page=True)


def test_the_lights_page_shows_a_lamp_per_task(reported, live_server, page):
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/plans/{reported.plan_a.pk}/lights/?on=2024-04-15")
    assert page.locator("#lights tbody tr").count() == 4
    assert page.locator("#lights .lamp-red").count() == 1


def test_proposing_notices_ticks_nothing_until_the_office_chooses(reported, live_server, page, monkeypatch):
    from luoshi.supervision_web import services
    from luoshi.supervision_web.models import SupervisionNotice
    from tests.supervision_web.conftest import ON, task

    monkeypatch.setattr(services, "today", lambda: ON)
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/plans/{reported.plan_a.pk}/notices/propose/")
    boxes = page.locator("input[name=task]")
    assert boxes.count() >= 1
    assert [boxes.nth(i).is_checked() for i in range(boxes.count())] == [False] * boxes.count()

    page.click("button:has-text('下发选中的督办单')")
    page.wait_for_load_state()
    assert "未选择任务，没有下发督办单" in page.content()
    assert SupervisionNotice.objects.count() == 0

    chosen = task(reported.plan_a, "（二）")
    page.check(f"input[name=task][value='{chosen.pk}']")
    page.click("button:has-text('下发选中的督办单')")
    page.wait_for_selector("text=已下发督办单1份")
    assert list(SupervisionNotice.objects.values_list("task_id", flat=True)) == [chosen.pk]
