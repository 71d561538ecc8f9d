"""The leaders' dashboard shows a few headline indicators: the headline figure of each keyword of
the latest published scorecard (or the area's first indicators without one), with the change on
the year and a sparkline; in a constant number of queries, and fresh as soon as a figure is
recorded."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from luoshi.indicators import scorecards, services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.models import Indicator, Scorecard
from luoshi.indicators.panel import panel
from luoshi.indicators.services import Figure
from tests.indicators.test_scorecards import Data, moment


def _published(area, by) -> Scorecard:
    """A published scorecard without its files (the panel reads only its content)."""
    row = scorecards.draft(area.area, "2020", by=by, on=moment("2021-04-14T09:00"))
    Scorecard.objects.filter(pk=row.pk).update(state="published", published_at=timezone.now())
    return row


def _more_areas(area, n: int) -> None:
    """``n`` more area indicators, each in its own area of work, with two years of figures."""
    specs = [
        IndicatorSpec(f"附加指标{i}", "个", "up", f"领域{i}", frequency="year", level="area")
        for i in range(n)
    ]
    services.apply_catalogue(specs)
    rows = Indicator.objects.filter(name__startswith="附加指标")
    services.record(
        [Figure(i, area.area, y, v) for i in rows for y, v in (("2019", 10.0), ("2020", 12.0))],
        at=moment("2021-03-01T10:00"),
    )


def test_the_headlines_of_the_latest_published_scorecard(area, people, login):
    Data(area)
    _published(area, people.office)
    body = login(people.leader).get("/dashboard/").content.decode()
    assert 'id="indicators-panel"' in body
    assert "跨市公交线路" in body and "9条" in body and "比上年同期增长50%" in body
    # The figure as known now: the June revision of the investment.
    assert "1100亿元" in body and "比上年同期增长37.5%" in body


def test_without_a_scorecard_the_areas_first_indicators(area, people):
    Data(area)
    tiles = panel()["tiles"]
    # In the catalogue's order: by area of work (交通, 产业, 生态 as the database sorts them), then name.
    assert [t.name for t in tiles] == ["跨市公交线路", "合作项目完成投资", "PM2.5平均浓度"]
    assert tiles[2].latest == "38.7微克/立方米" and tiles[2].change == "比上年同期下降7.9%"
    assert tiles[1].labels == ["2019年", "2020年"] and tiles[1].values == [800, 1100]


def test_no_figures_no_panel(area, people, login):
    assert panel() is None
    assert 'id="indicators-panel"' not in login(people.leader).get("/dashboard/").content.decode()


@pytest.mark.parametrize("with_scorecard", [False, True])
def test_the_number_of_queries_does_not_grow_with_the_indicators(area, people, with_scorecard):
    Data(area)
    if with_scorecard:
        _published(area, people.office)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            result = panel(limit=6)
        return len(ctx.captured_queries), len(result["tiles"])

    few, shown = queries()
    _more_areas(area, 5)
    if with_scorecard:
        Scorecard.objects.all().delete()
        _published(area, people.office)
    many, more_shown = queries()
    assert (shown, more_shown) == (3, 6)
    # The scorecard (or the area and its indicators without one), the indicators, their figures.
    assert many == few <= 5


def test_a_new_figure_shows_at_once_though_the_page_is_cached(area, people, login):
    data = Data(area)
    c = login(people.leader)
    for _ in range(3):  # the page is stored from its second build on
        assert "9条" in c.get("/dashboard/").content.decode()
    services.record([Figure(data.buses, area.area, "2021", 11)])
    assert "11条" in c.get("/dashboard/").content.decode()


def test_only_those_who_read_indicators_see_the_panel(area, people, login):
    Data(area)
    assert 'id="indicators-panel"' in login(people.office).get("/dashboard/").content.decode()
    assert login(people.reporter).get("/dashboard/").status_code in (302, 403)
