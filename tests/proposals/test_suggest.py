"""The unit suggestion at 交办, without Django: who led similar proposals, whose remit fits, and
how it does on real published assignments compared with always naming the busiest unit."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from luoshi.proposals.suggest import REMIT_WEIGHT, Past, Suggester, kind_of, numbered
from luoshi.proposals.suggest_eval import FRESH_FROM, evaluate, load, tune_remit_weight

FIXTURE = Path(__file__).parent / "data" / "assignments.csv"

PAST = [
    Past("关于优化城区公交线路的建议", "市交通运输局", "12"),
    Past("关于增开农村客运班车的建议", "市交通运输局", "31"),
    Past("关于加快农村公路提质改造的提案", "市交通运输局", "45"),
    Past("关于新建城东小学缓解学位紧张的建议", "市教育局", "7"),
    Past("关于加强中小学教师队伍建设的提案", "市教育局", "19"),
    Past("关于规范早市占道经营的建议", "市城市管理局", "23"),
]
UNITS = ["市交通运输局", "市教育局", "市城市管理局", "市水务局", "市公安局"]


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    return Suggester(PAST, UNITS)


def test_it_names_the_unit_that_led_similar_proposals_first(suggester):
    got = suggester.suggest("关于在城东片区增设公交站点方便群众出行的建议")
    assert got[0].unit == "市交通运输局"
    assert got[0].similar is not None and got[0].similar.unit == "市交通运输局"
    assert got[0].reasons[0].startswith("相似提案：第12号《关于优化城区公交线路的建议》")


def test_a_unit_nobody_has_asked_yet_is_suggested_on_its_remit(suggester):
    got = suggester.suggest("关于加固城南河堤提高防洪排涝能力的建议")
    assert got[0].unit == "市水务局"
    assert got[0].similar is None
    assert any(r.startswith("职责相符：") and "河堤" in r for r in got[0].reasons)


def test_it_gives_at_most_three_each_once(suggester):
    got = suggester.suggest("关于学校周边交通安全和占道停车整治的建议")
    units = [s.unit for s in got]
    assert 1 <= len(units) <= 3 and len(set(units)) == len(units)
    assert set(units) <= set(UNITS)


@pytest.mark.parametrize("title", ["", "   ", "。。。！！", "关于的建议", "\x00\ufffd\ufeff"])
def test_text_without_words_gives_no_suggestion(suggester, title):
    assert suggester.suggest(title) == []


def test_a_huge_text_is_read_only_as_far_as_its_start(suggester):
    head = "城区公交线路少，群众出行不便。"
    huge = head + "学校" * 500_000
    assert suggester.suggest("关于改善出行的建议", huge) == suggester.suggest(
        "关于改善出行的建议", head + "学校" * 200
    )


def test_hostile_markup_is_only_text(suggester):
    got = suggester.suggest("<script>alert(1)</script>关于优化公交线路的建议")
    assert got[0].unit == "市交通运输局"


def test_without_past_proposals_or_units():
    assert Suggester([], []).suggest("关于优化公交线路的建议") == []
    only_remits = Suggester([], ["市交通运输局", "市教育局"]).suggest("关于优化公交线路的建议")
    assert [s.unit for s in only_remits][:1] == ["市交通运输局"]
    assert Suggester(PAST, []).suggest("关于优化公交线路的建议") == []


def test_past_proposals_of_units_that_may_not_be_chosen_are_not_suggested():
    got = Suggester(PAST, ["市教育局", "市水务局"]).suggest("关于优化城区公交线路的建议")
    assert "市交通运输局" not in [s.unit for s in got]


@pytest.mark.parametrize(
    "unit, kind",
    [
        ("银川市交通运输局", "交通运输"),
        ("赤水市交通局", "交通运输"),
        ("抚顺市公安局交通警察支队", "公安"),
        ("广东省人民政府", "政府"),
        ("武汉市民政局", "民政"),
        ("高平市卫生健康和体育局", "卫生健康"),
        ("广德市教体局", "教育"),
        ("兴隆台区城市管理行政执法局", "城市管理"),
        ("临沧市水务局", "水利"),
        ("阜蒙县环境保护局", "生态环境"),
        ("人力资源社会保障部", "人力资源社会保障"),
        # http://www.rerunbookings.com/52/2014-12-28/41130.html
        ("宜城市城建局", "住房城乡建设"),
        # https://cq.cri.cn/chinanews/20170811/cf958807-f554-9e5f-f611-fc9f4f20f55b.html
        ("大渡口区卫计委", "卫生健康"),
        # http://www.sxsm.gov.cn/zwgk/fdzdgknr/jyta/rdjy/1620986507986829314.html: no kind in the table
        ("神木市林业局", "神木市林业局"),
        ("市某某中心", "市某某中心"),
    ],
)
def test_a_unit_s_kind_is_read_from_its_name(unit, kind):
    assert kind_of(unit) == kind


@pytest.mark.parametrize(
    "number, shown",
    [("12", "第12号"), ("市十五届人大一次会议第40号", "市十五届人大一次会议第40号"), ("", "")],
)
def test_numbers_read_as_written(number, shown):
    assert numbered(number) == shown


@pytest.mark.parametrize("protocol", ["leave-one-out", "holdout"])
def test_on_real_assignments_it_beats_naming_the_busiest_unit(protocol):
    rows = load(FIXTURE)
    assert len(rows) >= 150
    scores = {s.name: s for s in evaluate(rows, protocol, {"model": {}})}
    model, baseline = scores["model"], scores["baseline"]
    assert model.top1 > baseline.top1
    assert model.top3 > baseline.top3


def test_every_fixture_row_names_its_unit_and_a_listed_source():
    with FIXTURE.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    listed = set(
        re.findall(r"^\| (S\d+) \| https?://", (FIXTURE.parent / "SOURCES.md").read_text("utf-8"), re.M)
    )
    assert all(r["title"].strip() and r["lead"].strip() for r in rows)
    assert {r["source"] for r in rows} <= listed
    assert len({(r["title"], r["lead"]) for r in rows}) == len(rows)


def test_the_default_remit_weight_is_the_one_tuned_on_the_rows_before_the_fresh_ones():
    rows = load(FIXTURE)
    assert tune_remit_weight(rows[:FRESH_FROM], (0.0, 0.5, REMIT_WEIGHT)) == REMIT_WEIGHT
    assert tune_remit_weight([], (0.0, 2.0)) == 0.0


def test_on_rows_collected_after_it_was_written_it_still_beats_the_busiest_unit():
    scores = {s.name: s for s in evaluate(load(FIXTURE), "fresh", {"model": {}})}
    assert scores["model"].n >= 100
    assert scores["model"].top3 > scores["baseline"].top3
