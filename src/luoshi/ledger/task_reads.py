"""What the task page reads, written out in SQL (see ``web.sqlrows``): the task with its plan and
parent, its units, targets, reports, support units' contributions and history."""

from __future__ import annotations

import functools

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, prefetch_related_objects

from luoshi.ledger.models import (
    Change,
    Plan,
    ProgressReport,
    ReportAttachment,
    ReportStateChange,
    ReportValue,
    SupportContribution,
    Task,
    TaskAssignment,
    TaskTarget,
    Unit,
)
from luoshi.web.sqlrows import columns, instances, table

TIMELINE_LIMIT = 200


@functools.cache
def _sql() -> dict[str, str]:
    user = get_user_model()
    c, t = columns, table
    return {
        "task": (
            f"SELECT {c(Task, 't')}, {c(Plan, 'p')}, {c(Task, 'q')} FROM {t(Task)} t "
            f"JOIN {t(Plan)} p ON p.id = t.plan_id LEFT JOIN {t(Task)} q ON q.id = t.parent_id "
            "WHERE t.id = %s"
        ),
        "assignments": (
            f"SELECT {c(TaskAssignment, 'a')}, {c(Unit, 'u')} FROM {t(TaskAssignment)} a "
            f"JOIN {t(Unit)} u ON u.id = a.unit_id WHERE a.task_id = %s ORDER BY a.role, a.position"
        ),
        "targets": (
            f"SELECT {c(TaskTarget, 'x')} FROM {t(TaskTarget)} x "
            "WHERE x.task_id = %s AND x.superseded_at IS NULL ORDER BY x.position"
        ),
        "contributions": (
            f"SELECT {c(SupportContribution, 's')}, {c(Unit, 'u')}, {c(user, 'b')} "
            f"FROM {t(SupportContribution)} s JOIN {t(Unit)} u ON u.id = s.unit_id "
            f"LEFT JOIN {t(user)} b ON b.id = s.by_id WHERE s.task_id = %s ORDER BY s.at DESC"
        ),
        "changes": (
            f"SELECT {c(Change, 'h')}, {c(user, 'w')} FROM {t(Change)} h "
            f"LEFT JOIN {t(user)} w ON w.id = h.who_id WHERE h.task_id = %s "
            f"ORDER BY h.at DESC, h.id DESC LIMIT {TIMELINE_LIMIT}"
        ),
    }


def task(pk: int) -> Task | None:
    """The task with its ``plan`` and ``parent`` loaded; None when there is no such task."""
    rows = instances(_sql()["task"], [pk], Task, Plan, Task)
    if not rows:
        return None
    found, plan, parent = rows[0]
    found.plan = plan
    if parent is not None:
        found.parent = parent
    return found


def assignments(task: Task) -> list[TaskAssignment]:
    """The task's units, leads first, each with its ``unit``."""
    out = []
    for a, unit in instances(_sql()["assignments"], [task.pk], TaskAssignment, Unit):
        a.unit = unit
        out.append(a)
    return out


def targets(task: Task) -> list[TaskTarget]:
    """The task's targets in document order."""
    return [x for (x,) in instances(_sql()["targets"], [task.pk], TaskTarget)]


def contributions(task: Task) -> list[SupportContribution]:
    """Support units' contributions, newest first, each with its ``unit`` and ``by``."""
    out = []
    for s, unit, by in instances(
        _sql()["contributions"], [task.pk], SupportContribution, Unit, get_user_model()
    ):
        s.unit, s.by = unit, by
        out.append(s)
    return out


def changes(task: Task) -> list[Change]:
    """The newest ``TIMELINE_LIMIT`` history rows of the task, each with its ``who``."""
    out = []
    for h, who in instances(_sql()["changes"], [task.pk], Change, get_user_model()):
        h.who = who
        out.append(h)
    return out


@functools.cache
def _reports_sql() -> str:
    """The report query: its rows carry extra columns (names and EXISTS flags), so it goes
    through ``raw`` rather than ``instances``."""
    user = get_user_model()
    username = user._meta.get_field(user.USERNAME_FIELD).column
    exists = ", ".join(
        f"EXISTS (SELECT 1 FROM {table(model)} x WHERE x.report_id = r.id) AS {flag}"
        for flag, model in (
            ("has_values", ReportValue),
            ("has_attachments", ReportAttachment),
            ("has_changes", ReportStateChange),
        )
    )
    return (
        f"SELECT r.*, u.name AS unit_name, p.{username} AS submitter, {exists} "
        f"FROM {table(ProgressReport)} r JOIN {table(Unit)} u ON u.id = r.unit_id "
        f"LEFT JOIN {table(user)} p ON p.id = r.submitted_by_id "
        "WHERE r.task_id = %s ORDER BY r.period DESC, r.version DESC"
    )


def reports(task: Task) -> list[ProgressReport]:
    """The task's reports, newest first, each with its ``unit`` and ``submitted_by`` (name only);
    values, attachments and returns are fetched only for the reports that have any (most have
    none), into ``shown_values``, ``shown_attachments`` and ``shown_state_changes``."""
    User = get_user_model()
    reports = list(ProgressReport.objects.raw(_reports_sql(), [task.pk]))
    for r in reports:
        r.unit = Unit(id=r.unit_id, name=r.unit_name)
        if r.submitted_by_id is not None:
            r.submitted_by = User(id=r.submitted_by_id, **{User.USERNAME_FIELD: r.submitter})
    for flag, name, queryset in (
        ("has_values", "values", ReportValue.objects.select_related("target")),
        ("has_attachments", "attachments", ReportAttachment.objects.all()),
        ("has_changes", "state_changes", ReportStateChange.objects.all()),
    ):
        some = [r for r in reports if getattr(r, flag)]
        if some:
            prefetch_related_objects(some, Prefetch(name, queryset, to_attr=f"shown_{name}"))
        for r in reports:
            if not getattr(r, flag):
                setattr(r, f"shown_{name}", [])
    return reports
