"""The indicator and scorecard pages under their caches: a fixed number of queries whatever the
number of figures or lines, never a stale figure (a new vintage, a merge, an edit shows on the
next request), never another day's figures for an as-of view, never another user's page."""

from __future__ import annotations

import re

import numpy as np
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from luoshi.indicators import entities, scorecards, services
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.figure_table import chart_data, figure_text, figure_texts
from luoshi.indicators.models import Entity, Indicator
from luoshi.indicators.services import Figure
from luoshi.ledger import pagecache
from tests.indicators.test_observations import at
from tests.indicators.test_scorecards import Data, moment

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


@pytest.fixture
def caches_on():
    """The caches as served: pages and fragments kept (the test settings' dummy cache keeps none)."""
    from django.core.cache import caches

    setup = {
        "default": LOCMEM,
        "pages": {**LOCMEM, "LOCATION": "p"},
        "template_fragments": {**LOCMEM, "LOCATION": "f"},
    }
    with override_settings(CACHES=setup):
        for alias in setup:
            caches[alias].clear()  # every LocMemCache of one name shares its store: start empty
        pagecache.forget_built()
        yield
        pagecache.forget_built()


@pytest.fixture
def office(area, people, login):
    return login(people.office)


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx), response.content.decode()


def table(body: str) -> str:
    """The figure table of an indicator page (the latest records below it list older vintages)."""
    found = re.search(r'<table id="figures">.*?</table>', body, re.S)
    return found.group(0) if found else ""


def many_cities(n: int) -> list[Entity]:
    from luoshi.ledger.models import City

    return [services.city_entity(City.objects.create(name=f"测试市{i:02d}")) for i in range(n)]


def test_an_indicator_page_reads_as_many_rows_in_as_many_queries(area, office):
    e = area.entity
    services.record([Figure(area.gdp, e["成都"], "2023", 1.0)], at=at("2024-02-20"))
    url = f"/indicators/{area.gdp.pk}/"
    office.get(url)  # the session settles on the first visit: count the second
    few, _ = queries(office, url)
    cities = many_cities(30)
    services.record(
        [Figure(area.gdp, c, str(year), 100.0 + year) for c in cities for year in range(2000, 2024)],
        at=at("2024-03-01"),
    )
    services.record([Figure(area.gdp, cities[0], "2023", 7.5)], at=at("2024-04-01"))  # a revision
    many, body = queries(office, url)
    assert body.count("<tr><th>测试市") == 30 and "<td>7.50</td>" in body
    assert many == few


def test_a_scorecard_page_reads_as_many_lines_in_as_many_queries(area, people, office):
    Data(area)
    small = scorecards.draft(area.area, "2020", by=people.office, on=moment("2021-04-14T09:00"))
    services.apply_catalogue([IndicatorSpec(f"测试指标{i:03d}", "亿元", area="产业") for i in range(200)])
    city = area.entity["成都"]
    services.record(
        [Figure(i, city, "2020", float(i.pk)) for i in Indicator.objects.filter(name__startswith="测试指标")],
        at=at("2021-01-10"),
    )
    large = scorecards.draft(city, "2020", by=people.office, on=moment("2021-04-14T09:00"))
    assert len(list(large.card().lines())) >= 200 > len(list(small.card().lines()))
    counts = []
    for row in (small, large):
        office.get(f"/indicators/scorecards/{row.pk}/")
        counts.append(queries(office, f"/indicators/scorecards/{row.pk}/")[0])
    assert counts[0] == counts[1]


@pytest.mark.usefixtures("caches_on")
def test_a_cached_indicator_page_shows_a_new_vintage_at_once(area, office):
    e = area.entity
    services.record([Figure(area.gdp, e["成都"], "2023", 22074.7)], at=at("2024-02-20"))
    url = f"/indicators/{area.gdp.pk}/"
    built = [queries(office, url) for _ in range(3)]  # built, built and stored, from the cache
    assert built[2][0] < built[0][0] and table(built[2][1]) == table(built[1][1])
    assert "22074.70" in table(built[2][1])
    services.record([Figure(area.gdp, e["成都"], "2023", 22080.0)], at=at("2024-06-03"))
    shown = table(office.get(url).content.decode())
    assert "22080" in shown and "22074.70" not in shown


def revised(area) -> str:
    """成都's 2023 GDP recorded on 2024-02-20 and revised on 2024-06-03; the indicator's page."""
    e = area.entity
    services.record([Figure(area.gdp, e["成都"], "2023", 22074.7)], at=at("2024-02-20"))
    services.record([Figure(area.gdp, e["成都"], "2023", 22080.0)], at=at("2024-06-03"))
    return f"/indicators/{area.gdp.pk}/"


@pytest.mark.usefixtures("caches_on")
def test_a_cached_as_of_view_keeps_its_own_day(area, office):
    e = area.entity
    url = revised(area)
    for _ in range(3):
        now = table(office.get(url).content.decode())
        then = table(office.get(url + "?on=2024-03-01").content.decode())
        before = office.get(url + "?on=2024-01-01").content.decode()
        assert "22080" in now and "22074.70" not in now
        assert "22074.70" in then and "22080" not in then
        assert "尚无数据" in before and table(before) == ""
    # A figure recorded now with an earlier moment is part of the past day's view at once.
    services.record([Figure(area.gdp, e["德阳"], "2023", 3014.6)], at=at("2024-02-25"))
    assert "3014.60" in office.get(url + "?on=2024-03-01").content.decode()


@pytest.mark.usefixtures("caches_on")
def test_a_cached_indicator_page_follows_a_merge_and_a_rename(area, office):
    e = area.entity
    duplicate = many_cities(1)[0]
    entities.rename(duplicate, "成都（重复）")
    services.record([Figure(area.gdp, duplicate, "2022", 20817.5)], at=at("2024-02-20"))
    url = f"/indicators/{area.gdp.pk}/"
    for _ in range(3):
        assert "成都（重复）" in office.get(url).content.decode()
    entities.merge(e["成都"], duplicate)
    body = office.get(url).content.decode()
    assert "成都（重复）</th>" not in body and "<tr><th>成都市</th>" in body
    entities.rename(e["成都"], "成都市区")
    assert "<tr><th>成都市区</th>" in office.get(url).content.decode()


@pytest.mark.usefixtures("caches_on")
def test_a_cached_scorecard_shows_an_edit_at_once_and_to_each_their_own_page(area, people, login, client):
    Data(area)
    row = scorecards.draft(area.area, "2020", by=people.office, on=moment("2021-04-14T09:00"))
    url = f"/indicators/scorecards/{row.pk}/"
    office = login(people.office)
    for _ in range(3):
        assert 'id="scorecard-edit"' in office.get(url).content.decode()
    office.post(f"/indicators/scorecards/{row.pk}/edit/", {"headline-0": "跨市公交增至9条"})
    assert "跨市公交增至9条" in office.get(url).content.decode()
    leader = login(people.leader)
    for _ in range(3):
        body = leader.get(url).content.decode()
        assert "跨市公交增至9条" in body and 'id="scorecard-edit"' not in body


@pytest.mark.usefixtures("caches_on")
def test_the_cached_pages_are_still_refused_to_those_who_may_not_read_them(area, people, login, client):
    services.record([Figure(area.gdp, area.entity["成都"], "2023", 1.0)], at=at("2024-02-20"))
    url = f"/indicators/{area.gdp.pk}/"
    office = login(people.office)
    for _ in range(3):
        office.get(url)
    for user in (people.reporter, people.member):
        assert login(user).get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    Data(area)
    draft = scorecards.draft(area.area, "2020", by=people.office, on=moment("2021-04-14T09:00"))
    card = f"/indicators/scorecards/{draft.pk}/"
    office = login(people.office)
    for _ in range(3):
        assert office.get(card).status_code == 200
    for user in (people.reporter, people.member):
        assert login(user).get(card).status_code == 403
    client.logout()
    assert client.get(card).status_code == 302  # a draft: visitors sign in first


@pytest.mark.parametrize(
    "value",
    [
        0.0,
        -0.0,
        1.0,
        2.5,
        2.005,
        2.675,
        1.001,
        -0.001,
        -0.005,
        -2.5,
        1e-7,
        123456789.125,
        1e15,
        1.5e16,
        0.1 + 0.2,
        # One or two decimals as written (most figures): no rounding at all.
        0.0,
        -0.0,
        -3.0,
        0.5,
        -0.5,
        12.3,
        1234.56,
        -1234.56,
    ],
)
def test_figures_are_written_as_the_template_filter_writes_them(value):
    from django.template.defaultfilters import floatformat

    assert figure_text(value) == floatformat(value, "-2")


def test_figure_text_agrees_with_the_filter_on_many_values():
    import random

    from django.template.defaultfilters import floatformat

    rnd = random.Random(5)
    values = [round(rnd.uniform(-1e6, 1e6), rnd.randint(0, 6)) for _ in range(3000)]
    assert [figure_text(v) for v in values] == [floatformat(v, "-2") for v in values]


def test_a_whole_table_is_written_as_each_figure_alone():
    import random

    from django.template.defaultfilters import floatformat

    rnd = random.Random(7)
    values = [round(rnd.uniform(-1e6, 1e6), rnd.randint(0, 6)) for _ in range(3000)]
    values += [0.0, -0.0, 2.675, 0.1 + 0.2, 1e15 + 0.125, 1.5e16, 1e-7, -0.005, 123456789.125]
    values += [rnd.choice([None, float(rnd.randint(0, 500))]) for _ in range(500)]
    rnd.shuffle(values)
    grid = np.array([np.nan if v is None else v for v in values]).reshape(-1, 11)  # 3,509 values: 319 rows of 11
    expected = ["—" if v is None else floatformat(v, "-2") for v in values]
    assert figure_texts(grid).ravel().tolist() == expected
    assert figure_texts(np.empty((0, 0))).size == 0
    assert figure_texts(np.array([[np.nan, 5.0]])).tolist() == [["—", "5"]]


def test_the_chart_data_is_what_json_script_writes():
    import random

    from django.utils.html import json_script

    rnd = random.Random(3)
    names = ["成都市", '<script>alert("x")</script>', "A&B", "德阳"]
    periods = ["2024年1月", "2024年第一季度", "<b>"]
    values = [
        [rnd.choice([None, -0.0, 0.1 + 0.2, 1.5e16, 1e-7, rnd.uniform(-1e6, 1e6)]) for _ in periods]
        for _ in names
    ]
    grid = np.array([[np.nan if v is None else v for v in row] for row in values])
    chart = {
        "periods": periods,
        "series": [{"name": n, "data": row} for n, row in zip(names, values, strict=True)],
    }
    assert chart_data("indicator-data", periods, names, grid) == json_script(chart, "indicator-data")
    assert chart_data("x", [], [], np.empty((0, 0))) == json_script({"periods": [], "series": []}, "x")


def test_the_chart_reusing_the_table_texts_holds_the_same_figures():
    import json
    import random

    from django.utils.html import json_script

    rnd = random.Random(11)
    names = ["成都市", "德阳市", "A&B"]
    pool = [None, 0.0, -0.0, 2.675, 1.5, 1.25, 0.1 + 0.2, 1e15 + 0.125, 1.5e16, 1e-7, -0.005, 123456789.125]
    values = [[rnd.choice(pool + [round(rnd.uniform(-1e6, 1e6), 2)]) for _ in range(40)] for _ in names]
    periods = [f"{2000 + i}年" for i in range(40)]
    grid = np.array([[np.nan if v is None else v for v in row] for row in values])
    texts = figure_texts(grid)
    reused = chart_data("indicator-data", periods, names, grid, texts)
    plain = chart_data("indicator-data", periods, names, grid)
    body = reused.split(">", 1)[1].rsplit("<", 1)[0]
    # Each figure reads back as the very number it is (-0.0 as 0, as the table writes it).
    assert json.loads(body) == json.loads(plain.split(">", 1)[1].rsplit("<", 1)[0])
    for row, series in zip(values, json.loads(body)["series"], strict=True):
        for v, read in zip(row, series["data"], strict=True):
            assert read is None if v is None else float(read) == v
    # Where the table's text is the figure, the chart writes it so: 1.50 where repr writes 1.5;
    # where the table rounds (2.675 as 2.68), the chart keeps the figure.
    assert "1.50" in body and "1.50" not in plain
    assert "2.675" in body and "2.68" not in body
    assert chart_data("x", [], [], np.empty((0, 0)), np.empty((0, 0))) == json_script(
        {"periods": [], "series": []}, "x"
    )


def test_hostile_entity_names_are_escaped_in_the_table(area, office):
    e = area.entity["成都"]
    Entity.objects.filter(pk=e.pk).update(name='<script>alert("x")</script>')
    services.record([Figure(area.gdp, e, "2023", 1.0)], at=at("2024-02-20"))
    body = office.get(f"/indicators/{area.gdp.pk}/").content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;" in body
    assert re.search(r'"name": "\\u003Cscript\\u003Ealert', body)  # the chart's data, escaped too


def test_an_as_of_day_far_away_is_no_figure(area, office):
    services.record([Figure(area.gdp, area.entity["成都"], "2023", 1.0)], at=at("2024-02-20"))
    url = f"/indicators/{area.gdp.pk}/"
    assert "尚无数据" in office.get(url + "?on=1900-01-01").content.decode()
    assert "<td>1</td>" in office.get(url + "?on=2999-12-31").content.decode()


def compare_url(area, on: str = "") -> str:
    query = "&".join(f"entities={area.entity[c].pk}" for c in ("成都", "德阳"))
    return f"/indicators/{area.gdp.pk}/compare/?{query}" + (f"&on={on}" if on else "")


def levels(body: str) -> str:
    found = re.search(r'<table id="compare-levels">.*?</table>', body, re.S)
    return found.group(0) if found else ""


def test_the_comparison_page_is_kept_and_follows_a_new_figure(caches_on, area, office, people, login):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2022", 100.0), Figure(area.gdp, e["德阳"], "2022", 50.0)],
        at=at("2024-02-20"),
    )
    url = compare_url(area)
    office.get(url)  # the session settles on the first visit
    built, first = queries(office, url)  # built a second time: stored
    kept, again = queries(office, url)
    assert levels(again) == levels(first) != "" and kept < built
    # Another user's page is their own, built for them.
    leader = login(people.leader)
    leader.get(url)
    assert queries(leader, url)[0] > kept
    # A new vintage shows on the very next request.
    services.record([Figure(area.gdp, e["成都"], "2022", 120.0)], at=at("2024-03-01"))
    _, now = queries(office, url)
    assert ">120<" in levels(now) and ">100<" not in levels(now)
    # ?on= is its own page: the day before the revision still reads 100.
    _, before = queries(office, compare_url(area, on="2024-02-25"))
    assert ">100<" in levels(before)
    # A renamed entity (an entity change) shows too.
    entities.rename(e["德阳"], "德阳市（新）", by=people.office)
    _, renamed = queries(office, url)
    assert "德阳市（新）" in renamed


def test_a_comparison_export_is_in_the_audit_log(area, office, people):
    from luoshi.accounts.models import AuditLog

    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2022", 100.0), Figure(area.gdp, e["德阳"], "2022", 50.0)],
        at=at("2024-02-20"),
    )
    url = compare_url(area, on="2024-03-01").replace("/compare/", "/compare.xlsx")
    assert office.get(url).status_code == 200
    row = AuditLog.objects.get(event="download")
    assert row.user == people.office
    assert row.detail == f"indicator {area.gdp.pk} comparison {[e['成都'].pk, e['德阳'].pk]} on 2024-03-01"
    # A refused choice exports nothing and records no download.
    assert office.get(f"/indicators/{area.gdp.pk}/compare.xlsx?entities={e['成都'].pk}").status_code == 400
    assert AuditLog.objects.filter(event="download").count() == 1


def test_a_kept_page_of_a_deleted_indicator_is_not_served(caches_on, area, office):
    services.apply_catalogue([IndicatorSpec("临时指标", "个")])
    row = Indicator.objects.get(name="临时指标")
    for url in (f"/indicators/{row.pk}/", f"/indicators/{row.pk}/compare/"):
        office.get(url)
        office.get(url)  # built a second time: stored
        assert office.get(url).status_code == 200
    row.delete()
    for url in (f"/indicators/{row.pk}/", f"/indicators/{row.pk}/compare/"):
        assert office.get(url).status_code == 404


@pytest.mark.usefixtures("caches_on")
def test_a_day_after_the_latest_figure_shares_todays_table_and_an_earlier_day_does_not(area, office):
    e = area.entity
    url = revised(area)
    now = table(office.get(url).content.decode())

    def figures_read(day: str) -> tuple[bool, str]:
        with CaptureQueriesContext(connection) as ctx:
            body = office.get(f"{url}?on={day}").content.decode()
        # The figures' own read (the latest records below the table are kept for any day).
        reads = any('"indicators_observation"."value"' in q["sql"] for q in ctx)
        return reads, table(body)

    # Every figure was recorded by then: today's table, not read again.
    assert figures_read("2024-06-03") == (False, now)
    assert figures_read("2030-01-01") == (False, now)
    # Before the revision: that day's own table, read for it.
    reads, then = figures_read("2024-06-02")
    assert reads and "22074.70" in then and "22080" not in then
    # A figure recorded later with an earlier moment: the day no longer has every figure.
    services.record([Figure(area.gdp, e["德阳"], "2023", 3014.6)], at=at("2024-07-01"))
    reads, later = figures_read("2024-06-03")
    assert reads and "3014.60" not in later and "22080" in later
    assert "3014.60" in table(office.get(url).content.decode())


@pytest.mark.usefixtures("caches_on")
def test_the_days_between_two_recordings_share_one_table(area, office):
    url = revised(area)

    def figures_read(day: str) -> tuple[bool, str]:
        with CaptureQueriesContext(connection) as ctx:
            body = office.get(f"{url}?on={day}").content.decode()
        sql = [q["sql"] for q in ctx]
        values = [q for q in sql if '"indicators_observation"."value"' in q]
        # A day's moment is found among the moments kept for the version, not by a query of its own.
        assert not any('"recorded_at" <=' in q for q in sql if q not in values)
        return bool(values), table(body)

    reads, first = figures_read("2024-03-01")
    assert reads and "22074.70" in first and "22080" not in first
    # Any other day before the revision: the same figures, not read again.
    assert figures_read("2024-05-31") == (False, first)
    assert figures_read("2024-02-20") == (False, first)
    # Before the first figure: nothing known, and not the shared table.
    assert "22074.70" not in figures_read("2024-02-19")[1]


def test_the_latest_records_name_their_moment_source_and_recorder_newest_first(area, people, office):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["德阳"], "2022", 2816.9, source="德阳市统计局", note="初步核算")],
        at=at("2024-02-20", 10),
    )
    services.record([Figure(area.gdp, e["成都"], "2023", 22074.7)], by=people.office, at=at("2024-03-05", 15))
    body = office.get(f"/indicators/{area.gdp.pk}/?on=2024-02-21").content.decode()
    recent = re.search(r'<table id="recent">.*?</table>', body, re.S).group(0)
    rows = re.findall(
        r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td class=\"num\">(.*?)</td>"
        r"<td>(.*?)</td><td>(.*?)</td></tr>",
        recent,
    )
    # Any day shows the latest records, the later one first; an import without a user shows a dash.
    assert rows == [
        ("2024年3月5日 15:00", "成都市", "2023", "22074.70", " ", people.office.username),
        ("2024年2月20日 10:00", "德阳市", "2022", "2816.90", "德阳市统计局 初步核算", "—"),
    ]
