"""The city comparison page of an indicator: levels, growth, gap and ratio, co-movement of growth
rates and σ-convergence as known on a day, worked by hand for three cities over three years; who
may see it; what bad queries get; its Excel workbook read back."""

from __future__ import annotations

import io
import json
import re
import statistics

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from luoshi.indicators import services
from luoshi.indicators.services import Figure
from tests.indicators.test_observations import at

# 成都 grows 10% then 20%, 德阳 20% then 10%, 眉山 10% then 30%.
FIGURES = {
    "成都": {"2021": 100.0, "2022": 110.0, "2023": 132.0},
    "德阳": {"2021": 50.0, "2022": 60.0, "2023": 66.0},
    "眉山": {"2021": 20.0, "2022": 22.0, "2023": 28.6},
}


@pytest.fixture
def gdp(area):
    services.record(
        [
            Figure(area.gdp, area.entity[city], period, value)
            for city, by_period in FIGURES.items()
            for period, value in by_period.items()
        ],
        at=at("2024-02-20"),
    )
    return area


def url(area, *cities, on="", fmt="/") -> str:
    query = "&".join(f"entities={area.entity[c].pk}" for c in cities)
    return f"/indicators/{area.gdp.pk}/compare{fmt}?{query}" + (f"&on={on}" if on else "")


def rows(body: str, table: str) -> list[list[str]]:
    """A table's body rows as the cells' text."""
    found = re.search(rf'<table id="{table}">.*?<tbody>(.*?)</tbody>', body, re.S).group(1)
    return [
        re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", found, re.S)
    ]


def chart_data(body: str) -> dict:
    found = re.search(r'<script id="compare-data" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def cv(values) -> float:
    return statistics.pstdev(values) / statistics.mean(values)


@pytest.fixture
def office(people, login):
    return login(people.office)


def test_the_page_shows_figures_worked_by_hand(gdp, office):
    body = office.get(url(gdp, "成都", "德阳", "眉山")).content.decode()
    assert rows(body, "compare-levels") == [
        ["2021年", "100", "50", "20"],
        ["2022年", "110", "60", "22"],
        ["2023年", "132", "66", "28.6"],
    ]
    assert rows(body, "compare-growth") == [
        ["2021年", "—", "—", "—"],
        ["2022年", "10", "20", "10"],
        ["2023年", "20", "10", "30"],
    ]
    # gap = highest − lowest, ratio = highest ÷ lowest
    assert rows(body, "compare-spread") == [
        ["2021年", "80", "5"],
        ["2022年", "88", "5"],
        ["2023年", "103.4", "4.615"],
    ]
    # 成都 and 眉山 grow alike (1), 德阳 the other way (−1)
    assert rows(body, "compare-comovement") == [
        ["成都市", "1", "-1", "1"],
        ["德阳市", "-1", "1", "-1"],
        ["眉山市", "1", "-1", "1"],
    ]
    by_year = [cv([FIGURES[c][y] for c in FIGURES]) for y in ("2021", "2022", "2023")]
    assert rows(body, "compare-cv") == [
        [f"{y}年", f"{v:.4f}".rstrip("0")] for y, v in zip(("2021", "2022", "2023"), by_year, strict=True)
    ]
    # Least squares over three equally spaced periods: the slope is (last − first) / 2.
    slope = (by_year[2] - by_year[0]) / 2
    assert slope < 0
    assert f"{-slope:.4f}".rstrip("0") in re.search(r'id="compare-verdict">(.*?)</p>', body).group(1)
    assert "呈σ收敛" in body
    data = chart_data(body)
    assert data["periods"] == ["2021年", "2022年", "2023年"]
    assert data["levels"][0] == {"name": "成都市", "data": [100.0, 110.0, 132.0]}
    assert data["growth"][1]["data"][0] is None and round(data["growth"][1]["data"][1], 9) == 20
    assert [round(v, 9) for v in data["cv"]] == [round(v, 9) for v in by_year]


def test_diverging_cities_are_said_to_diverge(area, office):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2022", 100.0), Figure(area.gdp, e["德阳"], "2022", 90.0)]
        + [Figure(area.gdp, e["成都"], "2023", 150.0), Figure(area.gdp, e["德阳"], "2023", 60.0)],
        at=at("2024-02-20"),
    )
    body = office.get(url(area, "成都", "德阳")).content.decode()
    assert "呈发散" in body and "收敛" not in re.search(r'id="compare-verdict">(.*?)</p>', body).group(1)


def test_the_page_reads_the_figures_as_known_on_a_day(gdp, office):
    services.record([Figure(gdp.gdp, gdp.entity["成都"], "2023", 150.0)], at=at("2024-06-03"))
    before = office.get(url(gdp, "成都", "德阳", on="2024-03-01")).content.decode()
    now = office.get(url(gdp, "成都", "德阳")).content.decode()
    assert rows(before, "compare-levels")[2] == ["2023年", "132", "66"]
    assert rows(now, "compare-levels")[2] == ["2023年", "150", "66"]
    assert "2024年3月1日掌握的数据" in before
    # Before anything was recorded there is nothing to compare.
    early = office.get(url(gdp, "成都", "德阳", on="2024-01-01")).content.decode()
    assert 'id="no-figures"' in early and "compare-levels" not in early


def test_the_indicator_page_links_to_the_comparison(gdp, office):
    body = office.get(f"/indicators/{gdp.gdp.pk}/?on=2024-03-01").content.decode()
    assert f'href="/indicators/{gdp.gdp.pk}/compare/?on=2024-03-01"' in body


def test_without_a_choice_the_page_offers_the_cities(gdp, office):
    response = office.get(f"/indicators/{gdp.gdp.pk}/compare/")
    body = response.content.decode()
    assert response.status_code == 200 and 'id="compare-problem"' not in body
    for city in ("成都市", "德阳市", "眉山市", "资阳市"):
        assert f'value="{gdp.entity[city[:2]].pk}"> {city}' in body
    assert "成德" not in body  # a pair is not of a city indicator's level


def test_the_chosen_cities_are_ticked_and_an_inactive_one_chosen_stays_offered(gdp, office):
    from luoshi.indicators import entities

    entities.set_active(gdp.entity["德阳"], False)
    entities.set_active(gdp.entity["资阳"], False)
    body = office.get(url(gdp, "成都", "德阳")).content.decode()
    boxes = dict(re.findall(r'<input type="checkbox" name="entities" value="(\d+)"( checked)?>', body))
    assert boxes == {
        str(gdp.entity["成都"].pk): " checked",
        str(gdp.entity["德阳"].pk): " checked",  # inactive, but chosen: its figures are compared
        str(gdp.entity["眉山"].pk): "",
    }  # 资阳, inactive and not chosen, is not offered
    assert rows(body, "compare-levels")[0] == ["2021年", "100", "50"]


@pytest.mark.parametrize(
    "query, message",
    [
        ("entities={成都}", "请至少选择两个对象进行比较"),
        ("entities={成都}&entities={成都}", "请至少选择两个对象进行比较"),
        ("entities={成都}&entities=99999999", "所选对象不存在"),
        ("entities={成都}&entities={成德}", "不属于该指标的统计层级"),
        ("entities={成都}&entities=abc", "所选对象无效"),
        ("entities={成都}&entities=-1", "所选对象无效"),
        ("entities={成都}&entities=" + "9" * 5000, "所选对象无效"),
        ("entities={成都}&entities=%FF%3Cscript%3E", "所选对象无效"),
        ("entities={成都}&entities=%EF%BC%91", "所选对象无效"),  # a full-width 1
        ("&".join(f"entities={i}" for i in range(1, 14)), "最多比较12个"),
        ("&".join(["entities=1"] * 60), "最多比较12个"),
    ],
)
def test_a_bad_choice_gets_a_clear_message(gdp, office, query, message):
    ids = {"成都": gdp.entity["成都"].pk, "成德": gdp.pair.pk}
    response = office.get(f"/indicators/{gdp.gdp.pk}/compare/?" + query.format(**ids))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in re.search(r'id="compare-problem">(.*?)</p>', body).group(1)
    assert "<script>" not in body
    xlsx = office.get(f"/indicators/{gdp.gdp.pk}/compare.xlsx?" + query.format(**ids))
    assert xlsx.status_code == 400 and message in xlsx.content.decode()


def test_a_nul_in_the_query_is_refused_before_the_page(gdp, office):
    response = office.get(url(gdp, "成都") + "&entities=%00")
    assert response.status_code == 400 and "NUL" in response.content.decode()


@pytest.mark.parametrize("on", ["2024-13-01", "yesterday", "9" * 3000, "0001-01-01"])
def test_a_bad_day_is_refused_with_a_message(gdp, office, on):
    response = office.get(url(gdp, "成都", "德阳", on=on))
    assert response.status_code == 400 and "日期" in response.content.decode()


def test_unknown_indicators_are_not_found(gdp, office):
    assert office.get("/indicators/99999999/compare/").status_code == 404
    assert office.get("/indicators/99999999999999999999/compare/").status_code == 404
    assert office.get("/indicators/99999999/compare.xlsx").status_code == 404


@pytest.mark.parametrize(
    "who, status",
    [("admin", 200), ("office", 200), ("leader", 200), ("reporter", 403), ("member", 403), ("nobody", 403)],
)
def test_who_may_compare(gdp, people, login, who, status):
    c = login(getattr(people, who))
    assert c.get(url(gdp, "成都", "德阳")).status_code == status
    assert c.get(url(gdp, "成都", "德阳", fmt=".xlsx")).status_code == status


def test_the_public_is_sent_to_log_in(gdp, client):
    for fmt in ("/", ".xlsx"):
        response = client.get(url(gdp, "成都", "德阳", fmt=fmt))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_workbook_holds_every_table_behind_the_charts(gdp, office):
    services.record([Figure(gdp.gdp, gdp.entity["成都"], "2023", 150.0)], at=at("2024-06-03"))
    response = office.get(url(gdp, "成都", "德阳", "眉山", on="2024-03-01", fmt=".xlsx"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["水平", "增速", "差距与比值", "增速相关", "变异系数"]

    def values(name):
        return [list(r) for r in wb[name].iter_rows(min_row=2, values_only=True)]

    assert "截至2024年3月1日掌握的数据" in wb["水平"]["A1"].value
    assert values("水平") == [
        ["期别", "成都市", "德阳市", "眉山市"],
        ["2021年", 100, 50, 20],
        ["2022年", 110, 60, 22],
        ["2023年", 132, 66, 28.6],  # as known on the day: the revision to 150 came later
    ]
    growth = values("增速")
    assert growth[1] == ["2021年", None, None, None]
    assert [round(v, 9) for v in growth[2][1:]] == [10, 20, 10]
    spread = values("差距与比值")
    assert spread[0] == ["期别", "差距（最高−最低）", "比值（最高÷最低）"]
    assert [round(v, 9) for v in spread[3][1:]] == [103.4, round(132 / 28.6, 9)]
    assert [[r[0], *(round(v, 9) for v in r[1:])] for r in values("增速相关")[1:]] == [
        ["成都市", 1, -1, 1],
        ["德阳市", -1, 1, -1],
        ["眉山市", 1, -1, 1],
    ]
    by_year = [cv([FIGURES[c][y] for c in FIGURES]) for y in ("2021", "2022", "2023")]
    cvs = values("变异系数")
    assert [round(r[1], 9) for r in cvs[1:4]] == [round(v, 9) for v in by_year]
    slope_row = next(r for r in cvs if r[0] == "每期变化（最小二乘斜率）")
    assert round(slope_row[1], 9) == round((by_year[2] - by_year[0]) / 2, 9)
    assert "收敛" in next(r for r in cvs if r[0] == "结论")[1]


def test_entity_names_are_escaped_and_kept_text_in_excel(gdp, office):
    hostile = gdp.entity["资阳"]
    hostile.name = '=HYPERLINK("x")<script>alert(1)</script>'
    hostile.save()
    services.record([Figure(gdp.gdp, hostile, "2021", 1.0)], at=at("2024-02-20"))
    body = office.get(url(gdp, "成都", "资阳")).content.decode()
    assert "<script>alert(1)</script>" not in body
    wb = load_workbook(io.BytesIO(office.get(url(gdp, "成都", "资阳", fmt=".xlsx")).content))
    assert wb["水平"]["C2"].value == hostile.name and wb["水平"]["C2"].data_type == "s"


def test_the_page_costs_the_same_queries_for_more_cities_and_periods(gdp, office):
    office.get(url(gdp, "成都", "德阳"))  # the first request of a session costs its own queries
    with CaptureQueriesContext(connection) as small:
        assert office.get(url(gdp, "成都", "德阳")).status_code == 200
    e = gdp.entity
    services.record(
        [
            Figure(gdp.gdp, e[c], str(y), float(y - 1990))
            for c in ("成都", "德阳", "眉山", "资阳")
            for y in range(2000, 2021)
        ],
        at=at("2024-03-01"),
    )
    with CaptureQueriesContext(connection) as large:
        assert office.get(url(gdp, "成都", "德阳", "眉山", "资阳")).status_code == 200
    assert len(large) == len(small)


def test_a_city_without_figures_keeps_its_column_and_one_period_says_too_few(area, office):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2023", 100.0), Figure(area.gdp, e["德阳"], "2023", 0.0)],
        at=at("2024-02-20"),
    )
    body = office.get(url(area, "成都", "德阳", "资阳")).content.decode()
    assert rows(body, "compare-levels") == [["2023年", "100", "0", "—"]]
    # a lowest figure of 0 has no ratio; the gap is still there
    assert rows(body, "compare-spread") == [["2023年", "100", "—"]]
    assert rows(body, "compare-cv") == [["2023年", "1"]]  # std 50 over mean 50
    assert "可比较的期数不足两期" in body


def test_a_period_with_a_single_figure_has_no_gap_or_ratio(area, office):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], "2022", 100.0)]
        + [Figure(area.gdp, e["成都"], "2023", 120.0), Figure(area.gdp, e["德阳"], "2023", 60.0)],
        at=at("2024-02-20"),
    )
    body = office.get(url(area, "成都", "德阳")).content.decode()
    assert rows(body, "compare-spread") == [["2022年", "—", "—"], ["2023年", "60", "2"]]
    assert [r[0] for r in rows(body, "compare-cv")] == ["2023年"]


def test_an_area_indicator_has_nothing_to_pick(area, office):
    body = office.get(f"/indicators/{area.pm25.pk}/compare/?entities={area.area.pk}").content.decode()
    assert "请至少选择两个对象进行比较" in body
    assert f'value="{area.area.pk}"> 成德眉资' in body


def test_the_page_speaks_english_on_request(gdp, office):
    body = office.get(url(gdp, "成都", "德阳"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Compare cities: 地区生产总值" in body and "σ-convergence" in body
    assert "变异系数" not in body


def test_the_catalogue_links_to_the_indicator_picker(gdp, office):
    assert 'href="/indicators/compare/"' in office.get("/indicators/").content.decode()
    body = office.get("/indicators/compare/").content.decode()
    for i in (gdp.gdp, gdp.trains, gdp.pm25):
        assert f'<option value="{i.pk}">' in body


def test_picking_an_indicator_keeps_the_cities_and_the_day(gdp, office):
    a, b = gdp.entity["成都"].pk, gdp.entity["德阳"].pk
    response = office.get(
        f"/indicators/compare/?indicator={gdp.gdp.pk}&entities={a}&entities={b}&on=2024-03-01"
    )
    assert response.status_code == 302
    assert (
        response["Location"] == f"/indicators/{gdp.gdp.pk}/compare/?entities={a}&entities={b}&on=2024-03-01"
    )
    body = office.get(response["Location"]).content.decode()
    assert rows(body, "compare-levels")[0] == ["2021年", "100", "50"]
    # the page offers the switch to another indicator with the same cities
    assert f'<input type="hidden" name="entities" value="{a}">' in body


def test_switching_to_an_indicator_of_another_level_says_why_it_cannot(gdp, office):
    a, b = gdp.entity["成都"].pk, gdp.entity["德阳"].pk
    response = office.get(
        f"/indicators/compare/?indicator={gdp.trains.pk}&entities={a}&entities={b}", follow=True
    )
    assert "不属于该指标的统计层级" in response.content.decode()


@pytest.mark.parametrize("raw", ["99999999", "abc", "9" * 5000, "%EF%BC%91", "-3", "1%20OR%201=1"])
def test_an_unknown_indicator_is_named_on_the_picker(gdp, office, raw):
    response = office.get(f"/indicators/compare/?indicator={raw}")
    assert response.status_code == 200 and "所选指标不存在" in response.content.decode()


def test_the_picker_keeps_no_more_than_it_reads(gdp, office):
    many = "&".join(["entities=1"] * 200)
    response = office.get(f"/indicators/compare/?indicator={gdp.gdp.pk}&{many}&on=bad")
    assert response.status_code == 400
    response = office.get(f"/indicators/compare/?indicator={gdp.gdp.pk}&{many}")
    assert response["Location"].count("entities=") == 51
    assert "最多比较12个" in office.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    "who, status", [("leader", 200), ("reporter", 403), ("member", 403), ("nobody", 403)]
)
def test_who_may_pick(gdp, people, login, who, status):
    assert login(getattr(people, who)).get("/indicators/compare/").status_code == status


def test_a_query_of_thousands_of_fields_is_refused_unread(gdp, office):
    many = "&".join(f"entities={i}" for i in range(1, 5001))
    response = office.get(f"{url(gdp)}&{many}")
    assert response.status_code == 200 and "最多比较12个" in response.content.decode()
    assert office.get(f"{url(gdp, fmt='.xlsx')}&{many}").status_code == 400


def test_cities_growing_in_proportion_neither_converge_nor_diverge(area, office):
    e = area.entity
    services.record(
        [Figure(area.gdp, e["成都"], str(y), 100.0 * 1.1**k) for k, y in enumerate(range(2020, 2024))]
        + [Figure(area.gdp, e["德阳"], str(y), 50.0 * 1.1**k) for k, y in enumerate(range(2020, 2024))],
        at=at("2024-02-20"),
    )
    body = office.get(url(area, "成都", "德阳")).content.decode()
    assert "相对差距保持不变" in re.search(r'id="compare-verdict">(.*?)</p>', body).group(1)
    assert {r[2] for r in rows(body, "compare-spread")} == {"2"}


def test_the_kept_picker_marks_each_page_own_indicator_and_follows_the_catalogue(gdp, office, kept_cache):
    import dataclasses

    def picked(body: str) -> list[str]:
        return re.findall(r'<option value="(\d+)" selected>', body)

    body = office.get(url(gdp, "成都", "德阳")).content.decode()
    assert picked(body) == [str(gdp.gdp.pk)]
    # The next page reads the picker kept by the first one and marks its own indicator only.
    pm25 = f"/indicators/{gdp.pm25.pk}/compare/?entities={gdp.entity['成都'].pk}&entities={gdp.entity['德阳'].pk}"
    body = office.get(pm25).content.decode()
    assert picked(body) == [str(gdp.pm25.pk)]
    assert f'<option value="{gdp.gdp.pk}">' in body
    # An indicator added or edited shows on the very next page.
    services.apply_catalogue(
        [
            dataclasses.replace(gdp.gdp.spec(), area="体制机制"),
            dataclasses.replace(gdp.gdp.spec(), name="跨市通勤人数"),
        ]
    )
    body = office.get(url(gdp, "成都", "德阳")).content.decode()
    assert picked(body) == [str(gdp.gdp.pk)]
    assert re.search(rf'<option value="{gdp.gdp.pk}" selected>体制机制 · 地区生产总值', body)
    assert "· 跨市通勤人数（" in body


def test_a_table_of_figures_is_written_as_each_figure_alone():
    import random

    from luoshi.indicators.comparison import number, numbers

    rnd = random.Random(13)
    values = [round(rnd.uniform(-1e6, 1e6), rnd.randint(0, 6)) for _ in range(2000)]
    values += [None, 0.0, -0.0, -0.001, 0.004, -0.005, 2.675, 1.005, 0.1 + 0.2, 1e15 + 0.125, 1.5e16, 1e-7]
    values += [float("nan"), float("inf"), float("-inf"), 100.0, -100.5, 12.3456789]
    rnd.shuffle(values)
    for digits in (2, 3, 4):
        assert numbers(values, digits) == [number(v, digits) for v in values]
    assert numbers([]) == []
