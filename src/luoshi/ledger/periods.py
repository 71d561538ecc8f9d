"""Reporting periods as the ledger stores them, and which ones a plan's units report on a day.

Periods are written 2024-03 for monthly plans, 2024-Q1 quarterly, 2024-H1 half-yearly, 2024
yearly. `reporting(plan, on)` is the one place that decides, for a plan's reporting calendar, the
period being reported now and the last period due (``supervision.reporting_calendar``): 我的任务,
the report form, the lights, notices, reminders and bulletins all ask it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from luoshi.ledger.models import Plan, ProgressReport, Task
from luoshi.supervision import periods as core
from luoshi.supervision.reporting_calendar import Cadence, DueDate, ReportingPeriods, reporting_periods

DEFAULT_DUE_DAY = 10  # 每月10日前报送上月进展, until the office sets the plan's calendar
_CADENCE_NAMES = {
    "month": gettext_noop("按月"),
    "quarter": gettext_noop("按季度"),
    "half-year": gettext_noop("按半年"),
    "year": gettext_noop("按年"),
}


def is_period(text: str) -> bool:
    """True for a period written exactly as stored (the core also reads "2024-q1" and spaces)."""
    try:
        return core.parse_period(text or "").code == text
    except ValueError:
        return False


def cadence_of(plan: Plan) -> Cadence:
    """The plan's reporting cadence: its reporting calendar when the office has one (kept by the
    supervision app as ``plan.reporting_calendar``), else the plan's cadence due by the 10th."""
    calendar = getattr(plan, "reporting_calendar", None)  # absent: the reverse accessor raises AttributeError
    if calendar is not None:
        return Cadence(calendar.kind, calendar.day)
    return Cadence(plan.cadence if plan.cadence in core.KINDS else "month", DEFAULT_DUE_DAY)


def reporting(plan: Plan, on: dt.date) -> ReportingPeriods:
    """The period being reported now and the last period due for ``plan`` on ``on``."""
    return reporting_periods(cadence_of(plan), on)


def plan_start(plan: Plan) -> dt.date:
    """When a plan's tasks begin: its document date, else 1 January of its year, else its creation day."""
    if plan.date:
        return plan.date
    if plan.year:
        return dt.date(plan.year, 1, 1)
    return timezone.localdate(plan.created)


def to_report(task: Task, on: dt.date) -> DueDate:
    """The period ``task``'s lead unit should report for on ``on``: the last period due while its
    report is missing (the lights show it red), else the period being reported now."""
    periods = reporting(task.plan, on)
    owed = {d.period for d in (periods.last_due, periods.now) if d is not None}
    reported = set(
        ProgressReport.objects.filter(task=task, period__in=owed).values_list("period", flat=True).distinct()
    )
    return periods.to_report(reported, plan_start(task.plan))


def to_report_all(tasks: Iterable[Task], on: dt.date) -> dict[int, DueDate]:
    """``to_report`` for many tasks at once (我的任务): one reading of each plan's calendar and one
    query for the reports, however many tasks."""
    tasks = list(tasks)
    plans = {t.plan_id: t.plan for t in tasks}
    # Once per plan, not per task: each reading walks the holiday calendar.
    by_plan = {plan_id: reporting(plan, on) for plan_id, plan in plans.items()}
    starts = {plan_id: plan_start(plan) for plan_id, plan in plans.items()}
    owed = {d.period for p in by_plan.values() for d in (p.last_due, p.now) if d is not None}
    reported: dict[int, set[str]] = {}
    rows = ProgressReport.objects.filter(task_id__in=[t.pk for t in tasks], period__in=owed)
    for task_id, period in rows.values_list("task_id", "period").distinct():
        reported.setdefault(task_id, set()).add(period)
    return {
        t.pk: by_plan[t.plan_id].to_report(reported.get(t.pk, set()), starts[t.plan_id]) for t in tasks
    }


def offered(plan: Plan, on: dt.date, count: int = 6) -> list[str]:
    """The periods the report form offers: the one being reported now and those before, newest first."""
    p = core.parse_period(reporting(plan, on).now.period)
    return [p.shifted(-i).code for i in range(count)]


def refusal(plan: Plan, period: str, on: dt.date) -> str | None:
    """Why a report for ``period`` cannot be made on ``on`` (a message for the form or the API), or None."""
    if not is_period(period):
        return _("报送期格式应为 2024-03、2024-Q1、2024-H1 或 2024")
    periods = reporting(plan, on)
    if periods.accepts(period):
        return None
    if core.parse_period(period).kind != periods.kind:
        return _("本方案%(cadence)s报送，报送期应写作“%(example)s”") % {
            "cadence": _(_CADENCE_NAMES[periods.kind]),
            "example": periods.now.period,
        }
    return _("报送期%(period)s尚未结束，现在可报送%(now)s及以前各期的进展") % {
        "period": period,
        "now": periods.now.period,
    }
