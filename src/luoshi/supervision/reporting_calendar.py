"""When reports are due, moved off weekends and Chinese public holidays.

A cadence is "monthly by day N", "quarterly by day N", "half-yearly by day N" or "yearly by day N":
the report for a period is due by day N of the month after the period ends.

- monthly, day N: the March 2024 report, day 10 → 2024-04-10;
- quarterly (每季度第1个月20日前报送上季度进展): Q1 2024, day 20 → 2024-04-20; Q4 2024 → 2025-01-20;
- half-yearly: 2024-H1, day 10 → 2024-07-10; yearly: 2024, day 10 → 2025-01-10.

Day N past the end of a short month means that month's last day (day 31 in April → 04-30).
A due date that falls on a weekend or a public holiday moves to the next working day;
adjusted working days (调休, e.g. the Saturday 2024-10-12) count as working days.
Holidays come from the `chinesecalendar` package, which covers the years the State Council
has published; for other years the calendar falls back to weekends only and says so
(`holiday_data=False`), so a reviewer knows the date may need checking.
"""

from __future__ import annotations

import calendar
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from luoshi.supervision.periods import KINDS, Period, parse_period, period_of, periods_between


@dataclass(frozen=True)
class Cadence:
    """How often a unit reports (one of ``periods.KINDS``) and the day of the month it is due by."""

    kind: str = "month"
    day: int = 10

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(
                f"报送周期“{self.kind}”不正确：应为 month（每月）、quarter（每季度）、half-year（每半年）或 year（每年）"
            )
        if not 1 <= self.day <= 31:
            raise ValueError(f"报送截止日“{self.day}”不正确：应在1到31之间")


@dataclass(frozen=True)
class DueDate:
    """A period's due date: as the cadence names it, and after moving off holidays."""

    period: str
    nominal: date
    due: date
    holiday_data: bool = True

    @property
    def moved(self) -> bool:
        """Whether the nominal date was a rest day and the due date moved."""
        return self.due != self.nominal


def working_day(day: date) -> tuple[bool, bool]:
    """(is a working day, holiday data known for that year); unknown years count weekends only."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        # The package only knows the years with a published holiday schedule.
        return day.weekday() < 5, False


def next_working_day(day: date) -> tuple[date, bool]:
    """`day` itself when it is a working day, else the next one; and whether holiday data was known."""
    known = True
    while True:
        works, k = working_day(day)
        known = known and k
        if works:
            return day, known
        day += timedelta(days=1)


def add_working_days(day: date, n: int) -> tuple[date, bool]:
    """The date `n` working days after `day` (day itself not counted); and whether holiday data was known."""
    known = True
    while n > 0:
        day += timedelta(days=1)
        works, k = working_day(day)
        known = known and k
        n -= works
    return day, known


def nominal_due(cadence: Cadence, period: str | Period) -> date:
    """The due date the cadence names for `period`, before moving off rest days."""
    p = parse_period(period)
    if p.kind != cadence.kind:
        raise ValueError(f"期间“{p.code}”与报送周期（{cadence.kind}）不一致")
    # The month after the period ends, whatever its length.
    after = p.end + timedelta(days=1)
    last = calendar.monthrange(after.year, after.month)[1]
    return after.replace(day=min(cadence.day, last))


def due_date(cadence: Cadence, period: str | Period) -> DueDate:
    """The due date of one period's report, moved to the next working day when needed."""
    nominal = nominal_due(cadence, period)
    due, known = next_working_day(nominal)
    return DueDate(parse_period(period).code, nominal, due, known)


def due_dates(cadence: Cadence, first: str | Period, last: str | Period) -> list[DueDate]:
    """Due dates for every period from `first` to `last` inclusive."""
    return [due_date(cadence, p) for p in periods_between(first, last)]


def latest_due_period(cadence: Cadence, on: date) -> DueDate | None:
    """The latest period whose report was due on or before `on`, or None (none due yet)."""
    # The period containing `on` is never due yet; usually its predecessor or the one before that
    # is, but a due date moved past a month's end by rest days can hold back both.
    p = period_of(on, cadence.kind).previous()
    for _step in range(4):
        d = due_date(cadence, p)
        if d.due <= on:
            return d
        p = p.previous()
    return None


@dataclass(frozen=True)
class ReportingPeriods:
    """The two periods every page, job and document names on one day under one cadence.

    - ``now``, the period being reported now: the latest one that has ended. On 2026-12-05 under
      "monthly, by the 10th" that is November, due 2026-12-10. Units report for it or for
      earlier periods; a period that has not ended cannot be reported.
    - ``last_due``, the last period due: the latest whose due date has come. On 2026-12-05 that
      is October (due 2026-11-10); from 2026-12-10 it is November. Lights judge it, notices and
      overdue reminders chase it, a bulletin made that day counts it.
    """

    on: date
    now: DueDate
    last_due: DueDate | None

    @property
    def kind(self) -> str:
        """The cadence's kind of period: month, quarter, half-year or year."""
        return parse_period(self.now.period).kind

    def to_report(self, reported: Container[str], start: date | None = None) -> DueDate:
        """The period a unit should report for next: the last period due while it is still owed
        (not in `reported`, and the task had begun by its end), else the period being reported now."""
        last = self.last_due
        if last is None or last.period == self.now.period or last.period in reported:
            return self.now
        if start is not None and start > parse_period(last.period).end:
            return self.now  # the task began after that period: nothing was owed for it
        return last

    def accepts(self, period: str | Period) -> bool:
        """Whether a report may be made for `period`: one of the cadence's periods, up to ``now``."""
        try:
            p = parse_period(period)
        except ValueError:
            return False
        return p.kind == self.kind and p.end <= parse_period(self.now.period).end


def reporting_periods(cadence: Cadence, on: date) -> ReportingPeriods:
    """The period being reported on `on` and the last period due by then (see ReportingPeriods)."""
    now = period_of(on, cadence.kind).previous()
    return ReportingPeriods(on, due_date(cadence, now), latest_due_period(cadence, on))
