"""The 同城化指数 pages: the office computes a run from the form, everyone who reads indicators
reads it (method, figures, sensitivity, the recomputation check, Excel); the page shows exactly
what compute_index stored; bad input is named and stores nothing; other roles get nothing."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from luoshi.indicators import services
from luoshi.indicators.models import IndexRun
from luoshi.indicators.services import Figure
from tests.indicators.test_index_runs import cities, figures  # noqa: F401  (fixture)
from tests.indicators.test_observations import at

READERS = {"admin", "office", "office_b", "leader"}
COMPUTERS = {"admin", "office", "office_b"}
PERSONAS = ("admin", "office", "office_b", "leader", "reporter", "member", "nobody", "anonymous")


def client_for(people, login, client, who):
    return client if who == "anonymous" else login(getattr(people, who))


def expected_status(who: str, allowed: set[str]) -> int:
    return 302 if who == "anonymous" else 200 if who in allowed else 403


def form(f, **extra) -> dict:
    """The compute form for GDP and income over 成都, 德阳, 眉山 in 2023 with weights 3 and 1."""
    data = {
        "name": "2023年同城化指数",
        "period": "2023",
        "method": "minmax",
        "weighting": "given",
        "indicator": [str(f.gdp.pk), str(f.income.pk)],
        "entity": [str(e.pk) for e in cities(f)],
        f"weight-{f.gdp.pk}": "3",
        f"weight-{f.income.pk}": "1",
    }
    data.update(extra)
    return data


@pytest.fixture
def run(figures, people):  # noqa: F811
    return services.compute_index(
        "2023年同城化指数",
        [figures.gdp, figures.income],
        cities(figures),
        "2023",
        weighting="given",
        weights={figures.gdp.pk: 3, figures.income.pk: 1},
        by=people.office,
    )


def score_rows(page: str) -> dict[str, tuple[str, str, list[str]]]:
    """entity → (rank, index, sub-indices) as the page's index table shows them."""
    table = page.split('id="index-scores"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for rank, entity, cells in re.findall(
        r'<tr><td class="num">([^<]*)</td><th>([^<]*)</th>((?:<td class="num">[^<]*</td>)+)</tr>', table
    ):
        values = re.findall(r'<td class="num">([^<]*)</td>', cells)
        rows[entity] = (rank, values[0], values[1:])
    return rows


@pytest.mark.parametrize("who", PERSONAS)
def test_reading_runs(run, people, login, client, who):
    c = client_for(people, login, client, who)
    for url in (
        "/indicators/index/",
        f"/indicators/index/{run.pk}/",
        f"/indicators/index/{run.pk}/check/",
        f"/indicators/index/{run.pk}/index.xlsx",
    ):
        assert c.get(url).status_code == expected_status(who, READERS), (who, url)


@pytest.mark.parametrize("who", PERSONAS)
def test_computing_a_run(figures, people, login, client, who):  # noqa: F811
    c = client_for(people, login, client, who)
    response = c.post("/indicators/index/", form(figures))
    assert response.status_code == (302 if who in COMPUTERS | {"anonymous"} else 403), who
    assert IndexRun.objects.count() == (1 if who in COMPUTERS else 0)
    if who in COMPUTERS:
        assert IndexRun.objects.get().created_by == getattr(people, who)


def test_only_those_who_compute_see_the_form(run, people, login):
    assert 'id="index-new"' in login(people.office).get("/indicators/index/").content.decode()
    leader_page = login(people.leader).get("/indicators/index/").content.decode()
    assert 'id="index-new"' not in leader_page and "2023年同城化指数" in leader_page


def test_the_form_stores_what_compute_index_computes(figures, people, login):  # noqa: F811
    c = login(people.office)
    response = c.post("/indicators/index/", form(figures))
    stored = IndexRun.objects.get()
    assert response["Location"] == f"/indicators/index/{stored.pk}/"
    direct = services.compute_index(
        "x",
        [figures.gdp, figures.income],
        cities(figures),
        "2023",
        weighting="given",
        weights={figures.gdp.pk: 3, figures.income.pk: 1},
    )
    assert stored.results == direct.results
    assert stored.weights == {str(figures.gdp.pk): 3.0, str(figures.income.pk): 1.0}
    page = c.get(response["Location"]).content.decode()
    # The weights did not sum to one: the page says they were normalised.
    assert "权重之和为4，已按比例归一" in page


def test_the_page_shows_the_stored_figures(run, people, login):
    page = login(people.leader).get(f"/indicators/index/{run.pk}/").content.decode()
    rows = score_rows(page)
    results = run.results
    assert set(rows) == set(results["scores"])
    areas = list(results["sub_indices"])
    for entity, (rank, score, subs) in rows.items():
        assert rank == str(results["ranks"][entity])
        assert score == f"{results['scores'][entity]:.2f}"
        assert subs == [f"{results['sub_indices'][a][entity]:.2f}" for a in areas]
    assert rows["成都市"] == ("1", "75.00", ["75.00"])
    # The method in words, the weights used, the chart and the sensitivity table.
    assert "极差标准化" in page and "人工设定权重" in page and "(x − 最小值)" in page
    assert '<td class="num">0.7500</td>' in page and '<td class="num">0.2500</td>' in page
    assert 'id="chart-index"' in page and "index_run.js" in page and "echarts.min.js" in page
    sensitivity = page.split('id="index-sensitivity"', 1)[1].split("</table>", 1)[0]
    assert sensitivity.count("<tr>") == 1 + len(results["sensitivity"]) == 5
    for row in results["sensitivity"]:
        assert f"{row['max_index_change']:.2f}" in sensitivity


@pytest.fixture
def tied(figures, people):  # noqa: F811
    """Equal weights: 成都, 德阳 and 眉山 all at 50, sharing first place; GDP's weight +20% puts
    成都 first, 德阳 second and 眉山 third, −20% the other way round."""
    return services.compute_index(
        "等权指数", [figures.gdp, figures.income], cities(figures), "2023", by=people.office
    )


def test_the_sensitivity_table_names_the_entities_whose_rank_moves(tied, people, login):
    rows = {(r["indicator"], r["change"]): r for r in tied.results["sensitivity"]}
    assert rows[("地区生产总值", "+20%")]["moved"] == [["德阳市", 1, 2], ["眉山市", 1, 3]]
    assert rows[("地区生产总值", "−20%")]["moved"] == [["成都市", 1, 3], ["德阳市", 1, 2]]
    page = login(people.leader).get(f"/indicators/index/{tied.pk}/").content.decode()
    table = page.split('id="index-sensitivity"', 1)[1].split("</table>", 1)[0]
    assert "<th>排名变化的对象</th>" in table
    assert "<td>德阳市 1→2、眉山市 1→3</td>" in table and "<td>成都市 1→3、德阳市 1→2</td>" in table
    wb = openpyxl.load_workbook(
        io.BytesIO(login(people.leader).get(f"/indicators/index/{tied.pk}/index.xlsx").content)
    )
    moved = {(r[0], r[1]): r[4] for r in wb["敏感性"].iter_rows(min_row=2, values_only=True)}
    assert moved[("地区生产总值", "+20%")] == "德阳市 1→2、眉山市 1→3"
    assert moved[("一般公共预算收入", "+20%")] == "成都市 1→3、德阳市 1→2"


def test_a_run_stored_before_the_names_were_kept_still_shows_and_checks(tied, people, login):
    results = tied.results
    old = [{k: v for k, v in r.items() if k != "moved"} for r in results["sensitivity"]]
    IndexRun.objects.filter(pk=tied.pk).update(results={**results, "sensitivity": old})
    c = login(people.leader)
    page = c.get(f"/indicators/index/{tied.pk}/check/").content.decode()
    assert "结果与保存的完全一致" in page
    table = page.split('id="index-sensitivity"', 1)[1].split("</table>", 1)[0]
    assert table.count("<td>（未记录）</td>") == 4


def test_the_check_matches_after_a_revised_figure(run, figures, people, login):  # noqa: F811
    services.record([Figure(figures.gdp, figures.entity["眉山"], "2023", 40.0)], at=at("2024-06-01"))
    c = login(people.leader)
    page = c.get(f"/indicators/index/{run.pk}/check/").content.decode()
    assert "已按保存的6个原始数据重算，结果与保存的完全一致" in page
    assert score_rows(page)["眉山市"][:2] == ("3", "25.00")
    # A new run reads the revision; the stored one is unchanged.
    c = login(people.office)
    c.post("/indicators/index/", form(figures))
    assert IndexRun.objects.order_by("-pk").first().results["ranks"]["眉山市"] == 1


def test_the_check_says_when_a_stored_figure_was_tampered_with(run, people, login):
    changed = {**run.results, "scores": {**run.results["scores"], "德阳市": 99.0}}
    IndexRun.objects.filter(pk=run.pk).update(results=changed)
    page = login(people.office).get(f"/indicators/index/{run.pk}/check/").content.decode()
    assert "重算结果与保存的不一致" in page and "德阳市" in page.split('id="index-check"', 1)[1]


def test_a_missing_input_is_named_with_how_it_was_treated(figures, people, login):  # noqa: F811
    data = form(figures, weighting="equal")
    data["entity"] = [*data["entity"], str(figures.entity["资阳"].pk)]
    c = login(people.office)
    page = c.get(c.post("/indicators/index/", data)["Location"]).content.decode()
    assert "资阳市缺少地区生产总值、一般公共预算收入，按其余指标的权重重新归一计算" in page
    assert score_rows(page)["资阳市"][:2] == ("—", "无数据")


@pytest.mark.parametrize("method, weighting", [("zscore", "equal"), ("minmax", "entropy")])
def test_other_methods_are_stored_as_chosen(figures, people, login, method, weighting):  # noqa: F811
    c = login(people.office)
    page = c.get(c.post("/indicators/index/", form(figures, method=method, weighting=weighting))["Location"])
    run = IndexRun.objects.get()
    assert (run.method, run.weighting, run.weights) == (method, weighting, {})
    assert ("Z 分数" if method == "zscore" else "熵权法") in page.content.decode()


def _ids(f, *names):
    return {"indicator": [str(getattr(f, n).pk) for n in names]}


BAD = [
    ({"indicator": []}, "请至少选择一个指标"),
    ({"entity": []}, "请至少选择两个统计对象"),
    ({"indicator": ["abc"]}, "所选指标无效"),
    ({"indicator": ["99999999"]}, "所选指标不存在或已停用"),
    ({"indicator": ["9" * 40]}, "所选指标无效"),
    ({"entity": ["1", "-2"]}, "所选统计对象无效"),
    ({"entity": [str(n) for n in range(1, 500)]}, "所选统计对象过多"),
    ({"period": ""}, "请填写期别"),
    ({"period": "<script>"}, "期别"),
    ({"period": "2023-03"}, "与指标频度不符"),
    ({"period": "2019"}, "2019没有所选指标的数据"),
    ({"method": "evil"}, "请选择标准化方法"),
    ({"weighting": "'; DROP TABLE"}, "请选择赋权方法"),
    ({"on": "2024-13-45"}, "数据截至日期格式"),
    ({"on": "2999-01-01"}, "数据截至日期不能晚于今天"),
    ({"name": "长" * 5000}, "名称过长"),
]
BAD_WEIGHTS = [
    ("-1", "权重不能为负数或非数值"),
    ("1e300", "权重过大"),
    ("nan", "权重不能为负数或非数值"),
    ("inf", "权重不能为负数或非数值"),
    ("abc", "不是数字"),
    ("", "请填写指标「地区生产总值」的权重"),
    ("<img src=x onerror=alert(1)>", "不是数字"),
]


@pytest.mark.parametrize("change, message", BAD)
def test_bad_input_is_named_and_stores_nothing(figures, people, login, change, message):  # noqa: F811
    data = form(figures)
    data.update(change)
    response = login(people.office).post("/indicators/index/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page, page[:2000]
    assert "<script>" not in page.split('id="index-new"')[0].split("</h1>", 1)[1]
    assert IndexRun.objects.count() == 0


@pytest.mark.parametrize("weight, message", BAD_WEIGHTS)
def test_bad_weights_are_named_and_store_nothing(figures, people, login, weight, message):  # noqa: F811
    response = login(people.office).post(
        "/indicators/index/", form(figures, **{f"weight-{figures.gdp.pk}": weight})
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "<img src=x" not in page
    assert IndexRun.objects.count() == 0


def test_weights_all_zero_are_refused(figures, people, login):  # noqa: F811
    data = form(figures, **{f"weight-{figures.gdp.pk}": "0", f"weight-{figures.income.pk}": "0"})
    response = login(people.office).post("/indicators/index/", data)
    assert response.status_code == 400 and "权重之和必须大于0" in response.content.decode()
    assert IndexRun.objects.count() == 0


def test_percent_weights_are_read(figures, people, login):  # noqa: F811
    data = form(figures, **{f"weight-{figures.gdp.pk}": "75%", f"weight-{figures.income.pk}": "25%"})
    login(people.office).post("/indicators/index/", data)
    run = IndexRun.objects.get()
    assert run.results["notes"] == [] and run.results["scores"]["成都市"] == 75.0


def test_a_wrongly_encoded_form_stores_nothing(figures, people, login):  # noqa: F811
    body = "name=指数&period=2023&indicator=地区".encode("gb18030")
    response = login(people.office).post(
        "/indicators/index/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400 and IndexRun.objects.count() == 0


def test_a_hostile_name_is_shown_as_text(figures, people, login):  # noqa: F811
    c = login(people.office)
    response = c.post("/indicators/index/", form(figures, name="<script>alert(1)</script>"))
    for url in ("/indicators/index/", response["Location"]):
        page = c.get(url).content.decode()
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page


def test_unknown_runs_are_not_found(people, login, db):
    c = login(people.office)
    for url in (
        "/indicators/index/999999/",
        "/indicators/index/999999/check/",
        "/indicators/index/999999/index.xlsx",
    ):
        assert c.get(url).status_code == 404


def test_the_workbook_reads_back_as_the_stored_run(run, people, login):
    response = login(people.leader).get(f"/indicators/index/{run.pk}/index.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["指数", "权重", "敏感性", "输入数据", "方法说明"]
    rows = list(wb["指数"].iter_rows(min_row=3, values_only=True))
    areas = list(run.results["sub_indices"])
    assert {r[0]: (r[1], r[2], list(r[3:])) for r in rows} == {
        e: (
            run.results["scores"][e],
            run.results["ranks"][e],
            [run.results["sub_indices"][a][e] for a in areas],
        )
        for e in run.results["scores"]
    }
    weights = list(wb["权重"].iter_rows(min_row=2, values_only=True))
    assert [(w[0], w[3], w[4]) for w in weights] == [("地区生产总值", 3, 0.75), ("一般公共预算收入", 1, 0.25)]
    sensitivity = list(wb["敏感性"].iter_rows(min_row=2, values_only=True))
    assert wb["敏感性"]["E1"].value == "排名变化的对象"
    assert sensitivity == [
        (r["indicator"], r["change"], r["max_index_change"], r["rank_changes"], "—")
        for r in run.results["sensitivity"]
    ]
    inputs = list(wb["输入数据"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[0] for r in inputs) == sorted(i[0] for i in run.inputs)
    method = [r[0] for r in wb["方法说明"].iter_rows(values_only=True)]
    assert any("权重之和为4" in line for line in method) and any("极差" in line for line in method)


def test_a_run_speaks_english_on_request(run, people, login):
    c = login(people.leader)
    page = c.get(f"/indicators/index/{run.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recompute from the stored figures" in page and "Largest index change" in page
    assert "Min–max normalisation" in page and "按原数据重算" not in page


def test_a_run_reads_the_figures_as_known_on_the_day_chosen(figures, people, login):  # noqa: F811
    services.record([Figure(figures.gdp, figures.entity["眉山"], "2023", 40.0)], at=at("2024-06-01"))
    c = login(people.office)
    c.post("/indicators/index/", form(figures, on="2024-04-01"))
    c.post("/indicators/index/", form(figures))
    before, after = IndexRun.objects.order_by("pk")
    assert before.results["ranks"]["眉山市"] == 3 and after.results["ranks"]["眉山市"] == 1
    assert before.known_on.date().isoformat() == "2024-04-01"
    assert services.reproduce(before) == before.results


def test_the_list_costs_the_same_queries_for_one_run_as_for_many(run, figures, people, login):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = login(people.office)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert c.get("/indicators/index/").status_code == 200
        return len(captured)

    queries()  # the first request also reads what is kept for the rest (the session, settings)
    one = queries()
    for _ in range(20):
        services.compute_index(
            "指数", [figures.gdp, figures.income], cities(figures), "2023", by=people.admin
        )
    assert queries() == one
