"""What a unit owes on a day: its tasks, the period each is reported for, and its state.

我的任务 lists these rows and the inbox (待办) picks the lead rows still to report or returned;
both read them here, in a fixed number of queries however many tasks the unit has.
"""

from __future__ import annotations

import datetime as dt

from luoshi.ledger import services
from luoshi.ledger.models import Plan, Role, Task, TaskAssignment, TaskRole, Unit
from luoshi.ledger.periods import to_report_all


def unit_rows(unit: Unit | int | None, today: dt.date) -> list[dict]:
    """One row per task the unit leads or supports (headings are reported through their items):
    the task, its role, the period to report and when it is due, the current report, the open
    return's reason (lead rows only) and whether the task or the report is late."""
    if unit is None:
        return []
    unit_id = unit if isinstance(unit, int) else unit.pk
    assignments = list(
        TaskAssignment.objects.filter(
            unit_id=unit_id, task__removed_at__isnull=True, task__role=TaskRole.TASK
        )
        # The task's full text is not shown here; each plan is read once below, not once a row.
        .select_related("task")
        .defer("task__text")
        .order_by("task__plan_id", "task__position")
    )
    plans = Plan.objects.filter(id__in={a.task.plan_id for a in assignments}).select_related(
        "reporting_calendar"
    )
    by_id = {p.pk: p for p in plans}
    for a in assignments:
        a.task.plan = by_id[a.task.plan_id]
    ids = [a.task_id for a in assignments]
    # Headings are reported through their items: one query for which tasks have children.
    parents = set(Task.objects.current().filter(parent_id__in=ids).values_list("parent_id", flat=True))
    leaves = [a for a in assignments if a.task_id not in parents]
    dues = to_report_all([a.task for a in leaves], today)
    reports = services.current_reports({a.task_id: dues[a.task_id].period for a in leaves})
    rows = []
    for a in leaves:
        t, due = a.task, dues[a.task_id]
        report = reports.get(t.pk)
        rows.append(
            {
                "task": t,
                "role": a.role,
                "inherited": a.inherited,
                "period": due.period,
                "due": due.due,
                "late": report is None and due.due < today,
                "report": report,
                "returned": None,
                "overdue": t.is_overdue(today),
            }
        )
    returns = services.open_returns(r["task"].pk for r in rows if r["role"] == Role.LEAD)
    for r in rows:
        change = returns.get(r["task"].pk) if r["role"] == Role.LEAD else None
        if change is not None:
            r["returned"], r["period"], r["report"] = change.reason, change.report.period, change.report
    return rows
