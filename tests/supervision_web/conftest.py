"""Fixtures for supervision and bulletins in the web app: the ledger's world plus reports on its plan A.

Plan A (甲市, monthly, due the 10th) has four leaf tasks; on 2024-04-15, for the March reports:
（一） reported 5 of 50 km (10% against ~29% expected) → yellow; （二） not reported → red;
1. reported done → green; 2. reported in progress without figures → green.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from luoshi.ledger.models import ProgressReport, ReportValue, Task
from tests.web import conftest as web

ON = dt.date(2024, 4, 15)

# The ledger tests' fixtures: the personas and a client logged in as one of them.
world = web.world
login = web.login
office_day = web.office_day


def report(
    task: Task, period: str, status: str, day: dt.date, achieved: float | None = None
) -> ProgressReport:
    """A lead unit's report on `task` submitted at 9:00 on `day`, with the first target's achieved value."""
    lead = task.assignments.filter(role="lead").order_by("position").first()
    row = ProgressReport.objects.create(
        task=task,
        unit=lead.unit,
        period=period,
        status=status,
        narrative=f"{task.title}{period}进展",
        submitted_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9))),
    )
    if achieved is not None:
        ReportValue.objects.create(report=row, target=task.targets.first(), value=achieved)
    return row


def task(plan, label: str) -> Task:
    """The task of `plan` with this label."""
    return Task.objects.get(plan=plan, label=label)


@pytest.fixture
def reported(world):
    """The world with March (and February) reports on plan A, as the module docstring describes."""
    a = world.plan_a
    report(task(a, "（一）"), "2024-02", "推进中", dt.date(2024, 3, 5), achieved=2)
    report(task(a, "（一）"), "2024-03", "推进中", dt.date(2024, 4, 8), achieved=5)
    report(task(a, "（二）"), "2024-02", "推进中", dt.date(2024, 3, 6))
    report(task(a, "1."), "2024-03", "已完成", dt.date(2024, 4, 9))
    report(task(a, "2."), "2024-03", "推进中", dt.date(2024, 4, 12))
    return world
