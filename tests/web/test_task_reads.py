"""The task page's hand-written SQL gives the same objects, with the same types, as the ORM."""

from __future__ import annotations

import datetime as dt

from luoshi.ledger import services, task_reads
from luoshi.ledger.models import Change, SupportContribution, Task, TaskAssignment, TaskTarget


def _fields(obj) -> dict:
    return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}


def test_task_with_plan_and_parent_matches_the_orm(world):
    child = Task.objects.filter(plan=world.plan_a, parent__isnull=False).select_related("plan", "parent").first()
    read = task_reads.task(child.pk)
    assert _fields(read) == _fields(child)
    assert _fields(read.plan) == _fields(child.plan)
    assert _fields(read.parent) == _fields(child.parent)
    assert isinstance(read.plan.created, dt.datetime) and read.plan.created.tzinfo is not None


def test_a_top_level_task_has_no_parent_and_a_missing_task_is_none(world):
    top = Task.objects.filter(plan=world.plan_a, parent__isnull=True).first()
    assert task_reads.task(top.pk).parent is None
    assert task_reads.task(10**9) is None


def test_units_targets_contributions_and_history_match_the_orm(world):
    task = world.task_a
    services.update_task(task, world.office_a, task.version, {"title": "新标题", "deadline": dt.date(2025, 6, 30)})
    services.add_contribution(task, world.supporter_a, period="2024-03", text="配合推进")
    task.refresh_from_db()

    assignments = task_reads.assignments(task)
    orm = list(TaskAssignment.objects.filter(task=task).select_related("unit").order_by("role", "position"))
    assert [_fields(a) for a in assignments] == [_fields(a) for a in orm]
    assert [a.unit.name for a in assignments] == [a.unit.name for a in orm]

    assert [_fields(t) for t in task_reads.targets(task)] == [
        _fields(t) for t in TaskTarget.objects.filter(task=task).order_by("position")
    ]

    contributions = task_reads.contributions(task)
    assert [(c.text, c.unit.name, c.by.username) for c in contributions] == [
        (c.text, c.unit.name, c.by.username) for c in SupportContribution.objects.filter(task=task)
    ]
    assert contributions and isinstance(contributions[0].at, dt.datetime)

    changes = task_reads.changes(task)
    orm_changes = list(Change.objects.filter(task=task).select_related("who"))
    assert [_fields(c) for c in changes] == [_fields(c) for c in orm_changes]
    assert {c.field for c in changes} >= {"title", "deadline"}
    assert all(c.who is None or c.who.username for c in changes)
