"""The bundled example plans read as a plan office would have typed them up."""

from __future__ import annotations

from pathlib import Path

import pytest

from luoshi.textplan import parse_file

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def find(plan, *labels):
    items, it = plan.items, None
    for lb in labels:
        it = next(x for x in items if x.label.rstrip("、.").replace("(", "（").replace(")", "）") == lb)
        items = it.children
    return it


@pytest.fixture(scope="module")
def huizhou():
    return parse_file(EXAMPLES / "huizhou-2017-haimian.txt")


def test_huizhou_meta_is_repaired_from_the_scraped_page(huizhou) -> None:
    assert huizhou.meta.doc_number == "惠府办函〔2017〕100号"
    assert huizhou.meta.date == "2017-06-01"
    assert huizhou.meta.issuer == "惠州市人民政府办公室"


def test_huizhou_outline_has_six_sections_and_their_measures(huizhou) -> None:
    assert [it.label for it in huizhou.items] == ["一、", "二、", "三、", "四、", "五、", "六、"]
    measures = find(huizhou, "四", "（五）")
    assert [c.label for c in measures.children][-1] == "九是"


def test_huizhou_responsibility_paragraph_governs_the_measure(huizhou) -> None:
    traffic = find(huizhou, "四", "（二）")
    assert traffic.lead == ["市交通运输局"]
    assert "大亚湾开发区管委会" in traffic.support and "仲恺高新区管委会" in traffic.support
    assert "各县、区政府" in traffic.support
    assert all(not c.lead for c in traffic.children)


def test_huizhou_targets_and_achievements(huizhou) -> None:
    roads = find(huizhou, "四", "（二）", "二是")
    assert [(t.value, t.unit, t.kind) for t in roads.targets][0] == (34, "条", "target")
    sewage = find(huizhou, "一", "（六）", "二是")
    assert [(t.value, t.unit, t.kind) for t in sewage.targets] == [(60000, "吨/日", "actual")]


def test_huizhou_monitoring_cadence_is_structured(huizhou) -> None:
    periods = {c.period for c in huizhou.cadence}
    assert {"month", "quarter"} <= periods


def test_the_work_points_on_one_line_read_as_26_tasks() -> None:
    plan = parse_file(EXAMPLES / "dushiquan-2023-yaodian.txt")
    tasks = [c for it in plan.items for c in it.children]
    assert [t.label for t in tasks] == [f"{i}." for i in range(1, 27)]
    assert plan.meta.title == "2023年推进都市圈一体化建设工作要点"
    reports = find(plan, "一", "3")
    assert reports.cadence and reports.cadence[0].period == "month"


def test_the_state_council_opinion_uses_its_first_named_lead_convention() -> None:
    plan = parse_file(EXAMPLES / "guofa-2018-39.txt")
    assert plan.first_named_leads
    item = find(plan, "四", "（十一）")
    assert item.lead == ["财政部"] and item.support == ["人力资源社会保障部", "民政部"]
    assert all(not it.targets for it in plan.walk())
