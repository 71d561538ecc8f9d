"""Bulletin figures for March 2024 of a small Shenzhen–Zhongshan plan."""

from __future__ import annotations

import random
from datetime import date

import pytest

from luoshi.bulletins.figures import EmptyPeriod, compute

ON = date(2024, 4, 15)


@pytest.fixture
def bulletin(tasks, reports, notices):
    previous = compute(tasks, reports, notices, "2024-02", on=date(2024, 3, 15))
    return compute(tasks, reports, notices, "2024-03", on=ON, previous=previous, issuer="深中一体化办公室")


# standing ⇥ task ids
STANDINGS = """
已完成	3,8
超进度	1
达进度	2
欠进度	4,6
未报送	5
"""


@pytest.mark.parametrize(("standing", "ids"), [line.split("\t") for line in STANDINGS.strip().splitlines()])
def test_standings_count_and_name_their_tasks(bulletin, standing: str, ids: str) -> None:
    count = bulletin.standing(standing)
    assert count.task_ids == tuple(ids.split(","))
    assert count.count == len(count.task_ids)


def test_totals_leave_out_tasks_not_yet_begun(bulletin) -> None:
    # Task 7 starts in May.
    assert bulletin.task_ids == ("1", "2", "3", "4", "5", "6", "8")
    assert (bulletin.total_tasks, bulletin.completed, bulletin.completion_rate) == (7, 2, 28.6)
    assert bulletin.period_label == "2024年3月" and bulletin.kind_label == "月度"
    assert bulletin.due == date(2024, 4, 10)


# lead unit ⇥ rank ⇥ previous rank ⇥ change ⇥ report ids
UNITS = """
深圳市工业和信息化局	1	1	0	r3,r8
深圳市交通运输局	2	6	4	r1
中山市交通运输局	3	3	0	r2
中山市教育局	4	5	1	r6
深圳市教育局	5	2	-3	r5
中山市工业和信息化局	6	4	-2	r4
"""


def test_lead_units_are_ranked_with_their_change(bulletin) -> None:
    got = [
        (g.name, str(g.rank), str(g.previous_rank), str(g.rank_change), ",".join(g.report_ids))
        for g in bulletin.by_lead_unit
    ]
    assert got == [tuple(line.split("\t")) for line in UNITS.strip().splitlines()]


def test_cities_and_domains_rank_by_share_on_schedule(bulletin) -> None:
    assert [(g.name, g.rank, g.on_schedule_rate) for g in bulletin.by_city] == [
        ("深圳", 1, 75.0),
        ("中山", 2, 33.3),
    ]
    assert [(g.name, g.rank, g.task_ids) for g in bulletin.by_domain] == [
        ("交通互联", 1, ("1", "2")),
        ("产业协作", 2, ("3", "4", "8")),
        ("公共服务", 3, ("5", "6")),
    ]
    assert bulletin.by_domain[2].count("未报送") == 1


def test_equal_scores_share_a_rank(tasks, reports, notices) -> None:
    b = compute(tasks, reports, notices, "2024-03", on=ON)
    ranks = {g.name: g.rank for g in b.by_lead_unit}
    assert ranks["深圳市工业和信息化局"] == 1
    assert b.by_lead_unit[0].previous_rank is None and b.by_lead_unit[0].rank_change is None


def test_late_and_missing_units_are_named(bulletin) -> None:
    (late,) = bulletin.late_units
    assert (late.unit, late.task_ids, late.report_ids, late.days_late) == (
        "中山市工业和信息化局",
        ("4",),
        ("r4",),
        2,
    )
    assert [(u.unit, u.task_ids) for u in bulletin.missing_units] == [("深圳市教育局", ("5",))]


def test_red_overdue_and_completed_tasks_are_listed(bulletin) -> None:
    assert [(t.task_id, t.rule) for t in bulletin.red_tasks] == [("5", "red.missing"), ("6", "red.overdue")]
    assert bulletin.red_tasks[1].reason == "完成期限为2024年3月31日，已逾期15天仍未完成"
    assert [t.task_id for t in bulletin.overdue_tasks] == ["6"]
    # Task 8 was done in February; only task 3 was completed in March.
    assert [(t.task_id, t.report_ids) for t in bulletin.completed_in_period] == [("3", ("r3",))]


def test_open_notices_are_listed_in_number_order(bulletin) -> None:
    assert [(n.number, n.state_label, n.reply_overdue) for n in bulletin.notices_outstanding] == [
        ("督办〔2024〕3号", "已签收", True),
        ("督办〔2024〕12号", "已下发", False),
    ]


def test_reports_after_the_bulletin_date_are_not_counted(tasks, reports, notices) -> None:
    # On the day after the due date, task 4's report (sent on the 12th) is not in yet.
    b = compute(tasks, reports, notices, "2024-03")
    assert b.on == date(2024, 4, 11)
    assert [u.unit for u in b.missing_units] == ["中山市工业和信息化局", "深圳市教育局"]
    assert b.late_units == ()


def test_the_same_data_in_any_order_gives_the_same_figures(tasks, reports, notices, bulletin) -> None:
    rng = random.Random(7)
    for _ in range(3):
        rng.shuffle(tasks), rng.shuffle(reports), rng.shuffle(notices)
        previous = compute(tasks, reports, notices, "2024-02", on=date(2024, 3, 15))
        again = compute(
            tasks, reports, notices, "2024-03", on=ON, previous=previous, issuer="深中一体化办公室"
        )
        assert again == bulletin


def test_a_quarter_reads_its_own_label(tasks, reports, notices) -> None:
    from luoshi.supervision.reporting_calendar import Cadence

    b = compute(tasks, reports, notices, "2024-Q1", cadence=Cadence("quarter", 20), on=date(2024, 4, 25))
    assert (b.period_label, b.kind_label, b.due) == ("2024年第一季度", "季度", date(2024, 4, 22))


@pytest.mark.parametrize("period", ["2024-13", "2024年3月", "2024Q1", ""])
def test_malformed_periods_say_how_to_write_one(tasks, reports, notices, period: str) -> None:
    with pytest.raises(ValueError, match="格式不正确"):
        compute(tasks, reports, notices, period)


def test_a_period_with_no_data_says_so(tasks, reports, notices) -> None:
    with pytest.raises(EmptyPeriod, match="2023年6月没有可统计的任务和报送数据"):
        compute(tasks, reports, notices, "2023-06")
    with pytest.raises(EmptyPeriod):
        compute([], [], [], "2024-03")


def test_a_bulletin_made_mid_period_is_dated_that_day(tasks, reports, notices) -> None:
    b = compute(tasks, reports, notices, "2024-04", on=date(2024, 4, 15))
    assert (b.on, b.due) == (date(2024, 4, 15), date(2024, 5, 10))
    # April's reports are not due until 10 May: what is judged is March, the last period due.
    assert (b.assessed_period, b.assessed_due) == ("2024-03", date(2024, 4, 10))
    assert not any("2024年5月10日" in t.reason for t in b.red_tasks)
    assert [u.unit for u in b.missing_units] == ["深圳市教育局"]


@pytest.mark.parametrize("on", [date(2024, 4, 9), date(2024, 4, 15), date(2024, 4, 30)])
def test_a_bulletin_of_the_current_period_agrees_with_the_lights_of_the_same_day(
    tasks, reports, notices, on
) -> None:
    from luoshi.supervision.lights import assess_all
    from luoshi.supervision.reporting_calendar import Cadence

    b = compute(tasks, reports, notices, "2024-04", on=on)
    lights = assess_all(tasks, reports, on, Cadence("month", 10))
    assert [t.task_id for t in b.red_tasks] == [i for i in b.task_ids if lights[i].colour == "red"]
    assert {t.task_id: t.reason for t in b.red_tasks} == {
        i: lights[i].reason for i in b.task_ids if lights[i].colour == "red"
    }
    for s in b.standings:
        assert s.task_ids == tuple(i for i in b.task_ids if lights[i].standing == s.standing)


def test_a_bulletin_is_not_made_for_a_period_that_has_not_begun(tasks, reports, notices) -> None:
    with pytest.raises(EmptyPeriod, match="2024年6月尚未开始"):
        compute(tasks, reports, notices, "2024-06", on=date(2024, 5, 20))
