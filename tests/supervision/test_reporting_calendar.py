"""Due dates on real Chinese calendars: holidays move them, adjusted working Saturdays and Sundays keep them."""

from __future__ import annotations

from datetime import date

import pytest

from luoshi.supervision.reporting_calendar import (
    Cadence,
    add_working_days,
    due_date,
    due_dates,
    latest_due_period,
    nominal_due,
    reporting_periods,
)

# cadence ⇥ day ⇥ period ⇥ nominal due ⇥ due after moving ⇥ why
DUE = """
month	5	2024-09	2024-10-05	2024-10-08	国庆假期2024-10-01至07，顺延到节后第一个工作日
month	12	2024-09	2024-10-12	2024-10-12	2024-10-12是调休上班的星期六
month	1	2024-09	2024-10-01	2024-10-08	国庆节当天
month	10	2024-02	2024-03-10	2024-03-11	普通星期日顺延到星期一
month	7	2024-03	2024-04-07	2024-04-07	清明调休上班的星期日
month	3	2024-04	2024-05-03	2024-05-06	劳动节假期
month	11	2024-04	2024-05-11	2024-05-11	劳动节调休上班的星期六
month	28	2024-12	2025-01-28	2025-02-05	2025年春节假期1月28日至2月4日
month	26	2024-12	2025-01-26	2025-01-26	春节调休上班的星期日
month	8	2025-01	2025-02-08	2025-02-08	春节调休上班的星期六
month	31	2024-03	2024-04-30	2024-04-30	4月没有31日，取月末
month	31	2024-01	2024-02-29	2024-02-29	闰年2月
quarter	20	2024-Q1	2024-04-20	2024-04-22	每季度第1个月20日前报送上季度进展
quarter	20	2024-Q4	2025-01-20	2025-01-20	第四季度在次年1月报送
quarter	15	2024-Q3	2024-10-15	2024-10-15	第三季度在10月报送
half-year	10	2024-H1	2024-07-10	2024-07-10	每半年报送：上半年在7月报送
half-year	5	2024-H2	2025-01-05	2025-01-06	下半年在次年1月报送，星期日顺延
year	20	2024	2025-01-20	2025-01-20	每年报送：次年1月
year	31	2024	2025-01-31	2025-02-05	年度报送截止日落在春节假期，顺延
"""


@pytest.mark.parametrize(
    ("kind", "day", "period", "nominal", "due", "why"),
    [line.split("\t") for line in DUE.strip().splitlines()],
)
def test_due_dates_move_off_rest_days(
    kind: str, day: str, period: str, nominal: str, due: str, why: str
) -> None:
    d = due_date(Cadence(kind, int(day)), period)
    assert (d.nominal.isoformat(), d.due.isoformat()) == (nominal, due), why
    assert d.moved == (nominal != due)
    assert d.holiday_data


def test_years_without_holiday_data_fall_back_to_weekends_and_say_so() -> None:
    d = due_date(Cadence("month", 20), "2030-03")
    assert (d.nominal, d.due, d.holiday_data) == (date(2030, 4, 20), date(2030, 4, 22), False)


def test_a_range_of_periods_has_one_due_date_each() -> None:
    dates = due_dates(Cadence("quarter", 20), "2024-Q1", "2025-Q1")
    assert [d.period for d in dates] == ["2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2025-Q1"]
    assert [d.due for d in dates] == [
        date(2024, 4, 22),
        date(2024, 7, 22),
        date(2024, 10, 21),
        date(2025, 1, 20),
        date(2025, 4, 21),
    ]


# start ⇥ working days ⇥ result ⇥ why
WORKING_DAYS = """
2024-03-01	5	2024-03-08	普通一周
2024-09-27	5	2024-10-10	9月29日星期日调休上班，国庆假期不计
2025-01-24	3	2025-02-05	1月26日调休上班，春节假期不计
"""


@pytest.mark.parametrize(
    ("start", "n", "result", "why"), [line.split("\t") for line in WORKING_DAYS.strip().splitlines()]
)
def test_working_days_skip_holidays(start: str, n: str, result: str, why: str) -> None:
    day, known = add_working_days(date.fromisoformat(start), int(n))
    assert day.isoformat() == result, why
    assert known


def test_the_latest_due_period_is_the_one_whose_due_date_has_come() -> None:
    monthly = Cadence("month", 10)
    assert latest_due_period(monthly, date(2024, 3, 11)).period == "2024-02"
    # 2024-03-10 is a Sunday, so February's report is due on Monday the 11th.
    assert latest_due_period(monthly, date(2024, 3, 10)).period == "2024-01"
    assert latest_due_period(Cadence("quarter", 20), date(2024, 4, 22)).period == "2024-Q1"


@pytest.mark.parametrize(
    ("kind", "on", "period"),
    [
        ("half-year", date(2024, 7, 9), "2023-H2"),
        ("half-year", date(2024, 7, 10), "2024-H1"),
        ("half-year", date(2025, 3, 1), "2024-H2"),
        ("year", date(2025, 1, 10), "2023"),
        ("year", date(2025, 1, 20), "2024"),
    ],
)
def test_the_latest_due_half_year_and_year(kind: str, on: date, period: str) -> None:
    assert latest_due_period(Cadence(kind, 20 if kind == "year" else 10), on).period == period


@pytest.mark.parametrize(
    ("kind", "day", "period", "message"),
    [
        ("week", 5, "2024-03", "报送周期"),
        ("month", 0, "2024-03", "截止日"),
        ("month", 5, "2024-Q1", "不一致"),
        ("half-year", 5, "2024", "不一致"),
    ],
)
def test_bad_cadences_are_refused_in_chinese(kind: str, day: int, period: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        nominal_due(Cadence(kind, day), period)


# cadence ⇥ day ⇥ on ⇥ period being reported now ⇥ its due date ⇥ last period due ⇥ why
REPORTING = """
month	10	2026-12-05	2026-11	2026-12-10	2026-10	11月进展12月10日前报送，尚未到期；10月的已到期
month	10	2026-12-10	2026-11	2026-12-10	2026-11	截止日当天，11月即为最近到期的一期
month	10	2026-12-15	2026-11	2026-12-10	2026-11	12月尚未结束，仍报11月
month	10	2027-01-01	2026-12	2027-01-11	2026-11	12月结束后即可报送12月（1月10日是星期日，顺延）
quarter	20	2027-01-05	2026-Q4	2027-01-20	2026-Q3	第四季度次年1月20日前报送
quarter	20	2026-12-05	2026-Q3	2026-10-20	2026-Q3	第四季度尚未结束
half-year	10	2026-12-05	2026-H1	2026-07-10	2026-H1	下半年尚未结束
year	20	2026-12-05	2025	2026-01-20	2025	年度报送在次年1月
"""


@pytest.mark.parametrize(
    ("kind", "day", "on", "now", "now_due", "last_due", "why"),
    [line.split("\t") for line in REPORTING.strip().splitlines()],
)
def test_the_period_reported_now_and_the_last_period_due(
    kind: str, day: str, on: str, now: str, now_due: str, last_due: str, why: str
) -> None:
    r = reporting_periods(Cadence(kind, int(day)), date.fromisoformat(on))
    assert (r.now.period, r.now.due.isoformat(), r.last_due.period) == (now, now_due, last_due), why


def test_a_unit_owing_the_last_period_due_is_asked_for_it_first() -> None:
    r = reporting_periods(Cadence("month", 10), date(2026, 12, 5))
    assert r.to_report(reported=set()).period == "2026-10"
    assert r.to_report(reported={"2026-10"}).period == "2026-11"
    # A plan begun in November owed nothing for October.
    assert r.to_report(reported=set(), start=date(2026, 11, 3)).period == "2026-11"
    # Once the last period due is the one reported now, that is the one asked for.
    later = reporting_periods(Cadence("month", 10), date(2026, 12, 15))
    assert later.to_report(reported=set()).period == "2026-11"


# cadence ⇥ on ⇥ period ⇥ accepted ⇥ why
ACCEPTED = """
month	2026-12-05	2026-11	yes	the period reported now
month	2026-12-05	2024-03	yes	an earlier period, reported late or corrected
month	2026-12-05	2026-12	no	the current month has not ended
month	2026-12-05	9999-12	no	far in the future
month	2026-12-05	2026-Q3	no	a quarter, for a monthly plan
quarter	2027-01-05	2026-Q4	yes	the quarter reported now
quarter	2027-01-05	2027-Q1	no	the current quarter has not ended
quarter	2027-01-05	2026-12	no	a month, for a quarterly plan
half-year	2026-12-05	2026-H2	no	the current half year has not ended
year	2026-12-05	2025	yes	last year
year	2026-12-05	2026	no	this year has not ended
month	2026-12-05	2026-1	no	malformed
"""


@pytest.mark.parametrize(
    ("kind", "on", "period", "accepted", "why"), [line.split("\t") for line in ACCEPTED.strip().splitlines()]
)
def test_only_periods_of_the_cadence_up_to_the_one_reported_now_are_accepted(
    kind: str, on: str, period: str, accepted: str, why: str
) -> None:
    assert reporting_periods(Cadence(kind, 10), date.fromisoformat(on)).accepts(period) == (
        accepted == "yes"
    ), why


def test_the_last_period_due_is_found_when_due_dates_move_into_the_next_month() -> None:
    # Day 31 of a monthly cadence: December 2025's report is due 31 January 2026, a Saturday, so
    # it moves to Monday 2 February; on Sunday 1 February neither it nor January's is due yet,
    # November's (due 31 December) is.
    r = reporting_periods(Cadence("month", 31), date(2026, 2, 1))
    assert r.last_due is not None and r.last_due.period == "2025-11"
