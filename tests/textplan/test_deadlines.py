"""Deadline and cadence cases, one per line, read against the document's own year."""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text
from luoshi.textplan.deadlines import find_cadences, find_deadline

# phrase ⇥ document year ⇥ due date
DEADLINES = """
年内将编制完成总体规划	2017	2017-12-31
2024年6月底前完成编制	2023	2024-06-30
2024年3月31日前上报	2024	2024-03-31
6月底前出台实施细则	2023	2023-06-30
年底前建成投用	2023	2023-12-31
第三季度完成招标	2024	2024-09-30
2025年第一季度开工	2024	2025-03-31
上半年完成前期工作	2023	2023-06-30
到2025年，产业总规模达到2万亿元	2018	2025-12-31
"""

NO_DEADLINE = """
2016年共承接转移项目65个
长期坚持，持续推进
"""

# phrase ⇥ period times month-of-period day
CADENCES = """
牵头责任单位每月向都市圈办公室报送1次合作专题推进情况	month 1 - -
实行每月一监测、每季一通报的工作制度	month 1 - -|quarter 1 - -
每季度第1个月20日前报送上季度进展	quarter 1 1 20
每月5日前报送上月进展情况	month 1 - 5
"""


@pytest.mark.parametrize(
    ("phrase", "year", "date"), [line.split("\t") for line in DEADLINES.strip().splitlines()]
)
def test_deadline_phrases_become_dates(phrase: str, year: str, date: str) -> None:
    d = find_deadline(phrase, int(year))
    assert d is not None and d.date == date


@pytest.mark.parametrize("phrase", NO_DEADLINE.strip().splitlines())
def test_past_facts_are_not_deadlines(phrase: str) -> None:
    assert find_deadline(phrase, 2017) is None


@pytest.mark.parametrize(("phrase", "expected"), [line.split("\t") for line in CADENCES.strip().splitlines()])
def test_reporting_cadences_are_structured(phrase: str, expected: str) -> None:
    got = "|".join(
        f"{c.period} {c.times} {c.month_of_period or '-'} {c.day or '-'}" for c in find_cadences(phrase)
    )
    assert got == expected


def test_an_items_deadline_is_read_relative_to_the_document_year() -> None:
    plan = parse_text("2023年推进都市圈一体化建设工作要点\n一、规划\n1.加快规划报批。年底前上报国家。")
    assert plan.items[0].children[0].deadline.date == "2023-12-31"


def test_a_table_deadline_and_quarter_milestones_reach_the_item() -> None:
    plan = parse_text(
        "2024年工作任务\n一、规划对接\n1.编制都市圈规划（牵头单位：市发展改革局；完成时限：2024年6月底前；"
        "一季度：完成初稿；二季度：报市政府审定）"
    )
    it = plan.items[0].children[0]
    assert it.title == "编制都市圈规划"
    assert it.lead == ["市发展改革局"]
    assert it.deadline.date == "2024-06-30"
    assert it.milestones == {"一季度": "完成初稿", "二季度": "报市政府审定"}
