"""In a real browser: the office computes an integration index from the form; the run's page draws
its ECharts bars and its recomputation check matches."""

from __future__ import annotations

from luoshi.indicators.models import IndexRun
from tests.indicators.test_index_runs import figures  # noqa: F401  (fixture)
from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_the_office_computes_an_index_and_checks_it(figures, people, live_server, page):  # noqa: F811
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/indicators/index/")
    page.fill("#index-new input[name=period]", "2023")
    page.check("#index-new input[value=given]")
    for indicator, weight in ((figures.gdp, "3"), (figures.income, "1")):
        page.check(f"#ind-{indicator.pk}")
        page.fill(f"input[name=weight-{indicator.pk}]", weight)
    for name in ("成都市", "德阳市", "眉山市"):
        page.check(f"#index-entities label:has-text('{name}') input")
    page.click("#index-new button[type=submit]")
    page.wait_for_selector("body[data-charts-ready='1']", state="attached", timeout=15000)
    assert page.locator("#chart-index canvas").count() == 1
    assert "权重之和为4，已按比例归一" in page.locator("#index-notes").inner_text()
    assert "75.00" in page.locator("#index-scores").inner_text()
    page.click("#index-check-form button[type=submit]")
    page.wait_for_selector("#index-check")
    assert "结果与保存的完全一致" in page.locator("#index-check").inner_text()
    assert IndexRun.objects.get().created_by == people.office
