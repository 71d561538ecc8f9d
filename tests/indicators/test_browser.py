"""In a real browser: an indicator's page draws its ECharts chart; the office imports a table."""

from __future__ import annotations

from luoshi.indicators import services
from luoshi.indicators.models import Observation
from luoshi.indicators.services import Figure
from tests.indicators.tables import GDP_CITIES_ACROSS, xlsx
from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_the_indicator_page_draws_its_chart(area, people, live_server, page):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2022", 20817.5), Figure(area.gdp, e["成都"], "2023", 22074.7)]
    )
    web.log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/indicators/")
    page.click("text=地区生产总值")
    page.wait_for_selector("body[data-charts-ready='1']", state="attached", timeout=15000)
    assert page.locator("#chart-indicator canvas").count() == 1
    assert "22074.7" in page.locator("#figures").inner_text()


def test_the_office_uploads_reviews_and_commits_a_table(area, people, live_server, page, tmp_path):
    path = tmp_path / "成德眉资GDP.xlsx"
    path.write_bytes(xlsx(GDP_CITIES_ACROSS))
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/indicators/import/")
    page.set_input_files("input[name=file]", str(path))
    page.click("#table-upload button[type=submit]")
    page.wait_for_selector("#batch-figures")
    assert "读取到 8 个数值" in page.locator("#batch-state").inner_text()
    page.click("#commit button[type=submit]")
    page.wait_for_selector("text=已导入8个数值")
    assert Observation.objects.count() == 8
