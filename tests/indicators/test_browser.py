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
    assert "22074.70" in page.locator("#figures").inner_text()
    # The chart reads the figures themselves, not the table's two decimals.
    drawn = page.evaluate(
        "echarts.getInstanceByDom(document.getElementById('chart-indicator')).getOption().series[0].data"
    )
    assert drawn == [20817.5, 22074.7]
    align = page.evaluate("getComputedStyle(document.querySelector('#figures tbody td')).textAlign")
    assert align == "right"


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


def test_the_office_words_and_publishes_a_scorecard_the_public_then_reads(area, people, live_server, page):
    from luoshi.indicators import scorecards
    from tests.indicators.test_scorecards import Data, moment

    Data(area)
    draft = scorecards.draft(area.area, "2020", by=people.office, on=moment("2021-04-14T09:00"))
    web.log_in(page, live_server.url, "office_a")
    page.goto(f"{live_server.url}/indicators/scorecards/{draft.pk}/")
    page.wait_for_selector("body[data-charts-ready='1']", state="attached", timeout=15000)
    assert page.locator("#chart-scorecard canvas").count() == 1
    page.fill("input[name=headline-0]", "跨市公交增至9条")
    page.click("#scorecard-edit button[type=submit]")
    page.wait_for_selector("text=已保存1处修改")
    page.click("#scorecard-publish button[type=submit]")
    page.wait_for_selector("text=成绩单已发布")
    assert page.locator("#scorecard-edit").count() == 0

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/public/")
    page.click("text=成德眉资2020年同城化发展成绩单")
    page.wait_for_selector("body[data-charts-ready='1']", state="attached", timeout=15000)
    assert page.locator("#keyword-1 h3").inner_text() == "跨市公交增至9条"
    assert "合作项目完成投资1088亿元，比上年同期增长36%" in page.locator("#keyword-2").inner_text()


def test_the_leaders_dashboard_draws_the_indicator_sparklines(area, people, live_server, page):
    from tests.indicators.test_scorecards import Data

    Data(area)
    web.log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("body[data-sparks-ready='1']", state="attached", timeout=15000)
    assert page.locator("#indicators-panel .spark canvas").count() == 3
    assert "9条" in page.locator("#indicators-panel").inner_text()
