"""Lights, standings and timeliness on real dates, one case per line."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from luoshi.supervision.facts import ReportFacts, TargetFacts, TaskFacts
from luoshi.supervision.lights import (
    LightRules,
    actual_progress,
    assess,
    assess_all,
    expected_progress,
    rules_table,
    timeliness,
)
from luoshi.supervision.periods import parse_period
from luoshi.supervision.reporting_calendar import Cadence, due_date, latest_due_period

MONTHLY = Cadence("month", 10)


def _task(**kw) -> TaskFacts:
    """A task of 100 days from 2024-01-01, so the day count is the expected percent."""
    base = dict(
        id="1",
        label_path="一、（一）1.",
        title="推进深中通道配套道路建设",
        plan_title="2024年深中一体化工作要点",
        domain="交通互联",
        city="中山",
        lead_unit="市交通运输局",
        start=date(2024, 1, 1),
        deadline=date(2024, 4, 10),
    )
    return TaskFacts(**(base | kw))


def _report(period: str, status: str = "推进中", pct: float | None = None, **kw) -> ReportFacts:
    """A report submitted five days after its period ends."""
    submitted = datetime.combine(parse_period(period).end + timedelta(days=5), datetime.min.time())
    base = dict(
        id=f"r-{period}",
        task_id="1",
        period=period,
        unit="市交通运输局",
        submitted_at=submitted,
        status=status,
        progress_percent=pct,
    )
    return ReportFacts(**(base | kw))


# on ⇥ report period ⇥ status ⇥ percent ⇥ standing ⇥ rule ⇥ reason
CASES = """
2024-03-01	2024-01	推进中	62	达进度	green.on_track	序时进度60%，实际进度62%，符合序时进度
2024-03-01	2024-01	推进中	70	超进度	green.on_track	序时进度60%，实际进度70%，符合序时进度
2024-03-01	2024-01	推进中	57	达进度	green.on_track	序时进度60%，实际进度57%，落后3个百分点，在允许范围内
2024-03-01	2024-01	推进中	52	欠进度	green.on_track	序时进度60%，实际进度52%，落后8个百分点，在允许范围内
2024-03-01	2024-01	推进中	45	欠进度	yellow.behind	序时进度60%，实际进度45%，落后15个百分点
2024-03-01	2024-01	滞后	25	欠进度	red.far_behind	序时进度60%，实际进度25%，落后35个百分点
2024-03-01	2024-01	已完成	100	已完成	green.done	任务已完成
2024-03-01	2024-01	已完成	-	已完成	green.done	任务已完成
2024-03-01	-	-	-	未报送	red.missing	2024年1月进展应于2024年2月18日前报送，逾期未报送
2024-03-01	2024-01	滞后	-	欠进度	yellow.behind	责任单位自报“滞后”，暂无可比的量化进度
2024-03-01	2024-01	推进中	-	达进度	green.on_track	报送状态为“推进中”，暂无可比的量化进度
2024-03-01	2024-01	未启动	-	欠进度	red.far_behind	序时进度60%，实际进度（按报送状态）0%，落后60个百分点
2024-04-05	2024-02	推进中	96	达进度	yellow.due_soon	完成期限为2024年4月10日，还有5天到期；序时进度95%，实际进度96%
2024-04-10	2024-03	推进中	99	达进度	yellow.due_soon	完成期限为2024年4月10日，今天到期；序时进度100%，实际进度99%
2024-04-15	2024-03	推进中	90	欠进度	red.overdue	完成期限为2024年4月10日，已逾期5天仍未完成
2024-01-20	-	-	-	未报送	green.on_track	暂无报送，暂无可比的量化进度
"""


@pytest.mark.parametrize(
    ("on", "period", "status", "pct", "standing", "rule", "reason"),
    [line.split("\t") for line in CASES.strip().splitlines()],
)
def test_lights(on: str, period: str, status: str, pct: str, standing: str, rule: str, reason: str) -> None:
    day = date.fromisoformat(on)
    reports = [] if period == "-" else [_report(period, status, None if pct == "-" else float(pct))]
    light = assess(_task(), reports, day, latest_due_period(MONTHLY, day))
    assert (light.standing, light.rule, light.reason) == (standing, rule, reason)
    assert light.colour == rule.split(".")[0]


def test_a_stricter_tolerance_moves_a_task_from_on_track_to_behind() -> None:
    day = date(2024, 3, 1)
    reports = [_report("2024-01", pct=57)]
    due = latest_due_period(MONTHLY, day)
    assert assess(_task(), reports, day, due).standing == "达进度"
    assert assess(_task(), reports, day, due, LightRules(tolerance=2)).standing == "欠进度"


def test_a_task_done_in_an_earlier_period_owes_no_report() -> None:
    day = date(2024, 3, 1)
    light = assess(_task(), [_report("2023-12", "已完成")], day, latest_due_period(MONTHLY, day))
    assert (light.standing, light.timeliness, light.rule) == ("已完成", "not_required", "green.done")


def test_a_task_that_had_not_started_owes_nothing_for_the_period() -> None:
    day = date(2024, 3, 1)
    light = assess(_task(start=date(2024, 2, 1)), [], day, latest_due_period(MONTHLY, day))
    assert light.rule != "red.missing"
    assert light.timeliness == "pending"


def test_reports_submitted_after_the_date_are_not_seen() -> None:
    day = date(2024, 2, 20)
    late = _report("2024-01", pct=60, submitted_at=datetime(2024, 2, 25, 9))
    light = assess(_task(), [late], day, latest_due_period(MONTHLY, day))
    assert light.standing == "未报送"


def test_the_latest_version_of_a_report_counts() -> None:
    day = date(2024, 3, 1)
    v1 = _report("2024-01", pct=20, id="a")
    v2 = _report("2024-01", pct=61, id="b", version=2)
    light = assess(_task(), [v2, v1], day, latest_due_period(MONTHLY, day))
    assert (light.actual, light.report_ids) == (61.0, ("a", "b"))


# start ⇥ deadline ⇥ milestones (date:fraction) ⇥ on ⇥ expected
EXPECTED = """
2024-01-01	2024-04-10	-	2024-03-01	60
2024-01-01	2024-04-10	-	2023-12-01	0
2024-01-01	2024-04-10	-	2024-06-01	100
2024-01-01	2024-12-31	2024-03-31:0.5	2024-02-15	25
2024-01-01	2024-12-31	2024-03-31:0.5	2024-03-31	50
2024-01-01	2024-12-31	2024-03-31:0.5,2024-06-30:0.9	2024-08-15	92.5
2024-01-01	-	2024-06-30:1.0	2024-09-01	100
2024-01-01	-	-	2024-09-01	-
"""


@pytest.mark.parametrize(
    ("start", "deadline", "milestones", "on", "expected"),
    [line.split("\t") for line in EXPECTED.strip().splitlines()],
)
def test_expected_progress(start: str, deadline: str, milestones: str, on: str, expected: str) -> None:
    stones = [] if milestones == "-" else [s.split(":") for s in milestones.split(",")]
    task = _task(
        start=date.fromisoformat(start),
        deadline=None if deadline == "-" else date.fromisoformat(deadline),
        milestones=[(date.fromisoformat(d), float(f)) for d, f in stones],
    )
    value = expected_progress(task, date.fromisoformat(on))
    assert (None if value is None else round(value, 1)) == (None if expected == "-" else float(expected))


def test_actual_progress_falls_back_from_percent_to_targets_to_status() -> None:
    targets = [
        TargetFacts("新增高新技术企业", "家", goal=10, achieved=5),
        TargetFacts("日开行动车", "对", goal=107.5, baseline=87.5, achieved=97.5),
    ]
    task = _task(targets=targets)
    assert actual_progress(task, _report("2024-01", pct=30)) == (30.0, "report")
    assert actual_progress(task, _report("2024-01")) == (50.0, "targets")
    # The report's own achieved value replaces the ledger's.
    assert actual_progress(task, _report("2024-01", achieved={"新增高新技术企业": 10})) == (75.0, "targets")
    assert actual_progress(_task(), _report("2024-01", "已完成")) == (100.0, "status")
    assert actual_progress(_task(), _report("2024-01")) == (None, "none")


# first submission ⇥ on ⇥ timeliness
TIMELINESS = """
2024-02-18T17:00	2024-03-01	on_time
2024-02-19T09:00	2024-03-01	late
-	2024-03-01	missing
-	2024-02-18	pending
"""


@pytest.mark.parametrize(
    ("submitted", "on", "expected"), [line.split("\t") for line in TIMELINESS.strip().splitlines()]
)
def test_timeliness_against_the_moved_due_date(submitted: str, on: str, expected: str) -> None:
    # January 2024's report is nominally due 2024-02-10, inside the Spring Festival holiday;
    # it moves to Sunday 2024-02-18, an adjusted working day.
    due = due_date(MONTHLY, "2024-01")
    first = None if submitted == "-" else _report("2024-01", submitted_at=datetime.fromisoformat(submitted))
    assert timeliness(first, due, date.fromisoformat(on)) == expected


def test_assess_all_keys_lights_by_task() -> None:
    tasks = [_task(id="1"), _task(id="2", lead_unit="市发展改革局")]
    lights = assess_all(tasks, [_report("2024-01", pct=60)], date(2024, 3, 1), MONTHLY)
    assert {k: v.rule for k, v in lights.items()} == {"1": "green.on_track", "2": "red.missing"}


def test_every_rule_used_is_documented() -> None:
    documented = {row["rule"] for row in rules_table()}
    used = {line.split("\t")[5] for line in CASES.strip().splitlines()}
    assert used <= documented
    assert "30个百分点" in " ".join(row["zh"] for row in rules_table())
    assert "20个百分点" in " ".join(row["zh"] for row in rules_table(LightRules(red_margin=20)))
