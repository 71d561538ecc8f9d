"""Report quality flags, with narratives as units write them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from luoshi.supervision.facts import ReportFacts, TargetFacts, TaskFacts
from luoshi.supervision.quality import check_report, narrative_percents

TASK = TaskFacts(
    id="7",
    label_path="二、（三）2.",
    title="新增高新技术企业",
    plan_title="坪山区2024年工作要点",
    domain="科技创新",
    city="深圳",
    lead_unit="区科技创新局",
    start=date(2024, 1, 1),
    deadline=date(2024, 12, 31),
    targets=[TargetFacts("新增高新技术企业", "家", goal=50)],
)


def _report(narrative: str = "", status: str = "推进中", pct: float | None = None, **kw) -> ReportFacts:
    base = dict(
        id="r2",
        task_id="7",
        period="2024-03",
        unit="区科技创新局",
        submitted_at=datetime(2024, 4, 8, 10),
        status=status,
        progress_percent=pct,
        narrative=narrative,
        attachments=1,
    )
    return ReportFacts(**(base | kw))


# narrative ⇥ percentages read
PERCENTS = """
完成进度80%	80
已完成全年任务的60%	60
目前已完成年度投资计划的45.5％	45.5
工程进度达到30%，累计完成投资2亿元	30
完成投资3亿元，同比增长15%	-
高新技术企业占比30%	-
营业收入同比增长12.5%	-
"""


@pytest.mark.parametrize(("text", "expected"), [line.split("\t") for line in PERCENTS.strip().splitlines()])
def test_progress_percentages_are_read_from_narratives(text: str, expected: str) -> None:
    assert narrative_percents(text) == ([] if expected == "-" else [float(expected)])


# status ⇥ progress percent ⇥ narrative ⇥ flag codes (comma separated, - for none)
CASES = """
推进中	80	一季度完成进度80%，已认定企业40家	-
推进中	80	一季度完成进度75%	-
推进中	50	截至3月底已完成全年任务的80%	narrative.percent
已完成	-	已完成全年任务的60%	narrative.percent,completed.short
已完成	-	全部完成	completed.short
未启动	-	前期工作已完成进度20%	narrative.percent
推进中	-	完成投资3亿元，同比增长15%	-
"""


@pytest.mark.parametrize(
    ("status", "pct", "narrative", "codes"), [line.split("\t") for line in CASES.strip().splitlines()]
)
def test_flags(status: str, pct: str, narrative: str, codes: str) -> None:
    report = _report(narrative, status, None if pct == "-" else float(pct), achieved={"新增高新技术企业": 40})
    found = sorted(f.code for f in check_report(TASK, report))
    assert found == sorted([] if codes == "-" else codes.split(","))


def test_completed_with_the_target_met_is_not_flagged() -> None:
    report = _report("全部完成", "已完成", achieved={"新增高新技术企业": 52})
    assert check_report(TASK, report) == []


def test_the_shortfall_message_names_the_metric_and_the_numbers() -> None:
    report = _report("全部完成", "已完成", achieved={"新增高新技术企业": 40})
    assert [f.message for f in check_report(TASK, report)] == [
        "报送为已完成，但“新增高新技术企业”完成40家，未达到目标50家"
    ]


PREVIOUS = _report(
    "一是组织企业申报培训3场，二是走访重点企业20家，三是建立高新技术企业培育库，入库企业35家。",
    id="r1",
    period="2024-02",
)


# narrative this period ⇥ flagged as copied
COPIES = """
一是组织企业申报培训3场，二是走访重点企业20家，三是建立高新技术企业培育库，入库企业35家。	yes
一是组织企业申报培训3场，二是走访重点企业20家，三是建立高新技术企业培育库，入库企业36家。	yes
一是组织企业申报培训3场， 二是走访重点企业20家，三是建立高新技术企业培育库，入库企业35家。	yes
一是召开政策宣讲会2场，二是完成首批企业认定材料审核，三是新增入库企业12家。	no
"""


@pytest.mark.parametrize(("narrative", "copied"), [line.split("\t") for line in COPIES.strip().splitlines()])
def test_narratives_copied_from_the_previous_period_are_flagged(narrative: str, copied: str) -> None:
    flags = [f for f in check_report(TASK, _report(narrative), PREVIOUS) if f.code == "narrative.copied"]
    assert bool(flags) == (copied == "yes")
    if flags:
        assert "2024年2月" in flags[0].message


def test_evidence_is_asked_for_only_where_the_plan_requires_it() -> None:
    bare = _report("推进中", attachments=0)
    assert check_report(TASK, bare) == []
    strict = TaskFacts(**{**TASK.__dict__, "evidence_required": True})
    assert [f.code for f in check_report(strict, bare)] == ["evidence.missing"]
    assert check_report(strict, _report("推进中", attachments=2)) == []


def test_a_whole_period_is_checked_against_each_task_s_previous_report() -> None:
    from luoshi.supervision.quality import check_period

    january = _report(PREVIOUS.narrative, id="r1", period="2024-01")
    march_v1 = _report("草稿", id="r3", period="2024-03")
    march_v2 = _report(PREVIOUS.narrative, id="r3b", period="2024-03", version=2)
    flags = check_period([TASK], [january, march_v1, march_v2], "2024-03")
    # Only the latest version is checked, and February's gap does not hide the copy from January.
    assert list(flags) == ["r3b"]
    assert [f.code for f in flags["r3b"]] == ["narrative.copied"]
    assert "2024年1月" in flags["r3b"][0].message
