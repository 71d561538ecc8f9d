"""In a real browser: a leader opens the city comparison from an indicator's page, picks two
cities and sees its three charts drawn and the convergence verdict."""

from __future__ import annotations

from luoshi.indicators import services
from luoshi.indicators.services import Figure
from tests.web import test_browser as web

pytestmark = web.pytestmark
page = web.page


def test_a_leader_compares_two_cities(area, people, live_server, page):
    e = area.entity
    services.record(
        [
            Figure(area.gdp, e[city], year, value)
            for city, values in (("成都", (100.0, 110.0, 121.0)), ("德阳", (50.0, 60.0, 70.0)))
            for year, value in zip(("2021", "2022", "2023"), values, strict=True)
        ]
    )
    web.log_in(page, live_server.url, "leader")
    page.goto(f"{live_server.url}/indicators/{area.gdp.pk}/")
    page.click("#compare-link")
    page.check(f"input[name=entities][value='{e['成都'].pk}']")
    page.check(f"input[name=entities][value='{e['德阳'].pk}']")
    page.click("#compare-picker button[type=submit]")
    page.wait_for_selector("body[data-charts-ready='1']", state="attached", timeout=15000)
    for chart in ("#chart-levels", "#chart-growth", "#chart-cv"):
        assert page.locator(f"{chart} canvas").count() == 1, chart
    assert "呈σ收敛" in page.locator("#compare-verdict").inner_text()
    assert page.locator("#compare-levels tbody tr").count() == 3
