"""A revision keeps the units the office assigned by hand, unless it names other units for that
item; the review lists every unit a commit would add or remove, per task, before anything is written.

The plan is a real one that names no units (examples/dushiquan-2023-yaodian.txt), as offices get them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from luoshi.ledger import importing, services
from luoshi.ledger.models import Change, Role, Task, TaskAssignment, Unit
from luoshi.supervision_web import services as supervision
from tests.web.world import upload

pytestmark = pytest.mark.django_db

PLAN = (Path(__file__).resolve().parents[2] / "examples" / "dushiquan-2023-yaodian.txt").read_text(
    encoding="utf-8"
)
CLAUSE = "（市交通运输局牵头，市发展改革局配合）"
LAST_TASK = PLAN[PLAN.index("26.推动要素资源有序流动") :]


def revised(text: str = PLAN) -> str:
    """The same plan without its last task, and with units named for item 4."""
    out = text.replace(LAST_TASK, "").replace("4.优化轨道交通布局。", f"4.优化轨道交通布局{CLAUSE}。")
    assert out.count(CLAUSE) == 1 and "26." not in out
    return out


def units(task: Task, role: str, *, inherited: bool | None = None) -> list[str]:
    rows = TaskAssignment.objects.filter(task=task, role=role)
    if inherited is not None:
        rows = rows.filter(inherited=inherited)
    return sorted(rows.values_list("unit__name", flat=True))


@pytest.fixture
def plan(world):
    session = importing.start_import(upload(PLAN, "yaodian.txt"), world.office_a)
    plan = importing.commit_import(session, world.office_a, city=world.city_a)
    assert not TaskAssignment.objects.filter(task__plan=plan).exists()  # the document names no unit
    return plan


@pytest.fixture
def assigned(world, plan):
    """The office's work after the first import: a lead and a support for every area, by hand."""
    areas = Task.objects.filter(plan=plan, depth=0).order_by("position")
    assert len(areas) == 8
    for area in areas:
        services.set_assignments(area, world.office_a, [world.ndrc_a], [world.transport_a])
    return plan


def reimport_session(world, plan, text: str):
    return importing.start_import(upload(text, "yaodian-rev.txt"), world.office_a, target=plan)


def test_the_review_changes_only_the_item_whose_text_changed(world, assigned):
    review = importing.review(reimport_session(world, assigned, revised()))
    assert review.counts == {"added": 0, "changed": 1, "unchanged": 32, "restored": 0, "removed": 1}
    [changed] = [r for r in review.rows if r.change == "changed"]
    assert changed.item["label"] == "4."
    assert [t.label for t in review.removed] == ["26."]


def test_the_review_lists_every_unit_a_commit_adds_or_removes(world, assigned):
    review = importing.review(reimport_session(world, assigned, revised()))
    four = next(r for r in review.rows if r.item["label"] == "4.")
    assert [(role, ref.name) for role, ref in four.units.added] == [
        ("lead", "市交通运输局"),
        ("support", "市发展改革局"),
    ]
    assert four.units.removed == []
    area = next(r for r in review.rows if r.item["label"] == "一、")
    assert not area.units.changed
    assert [(role, ref.name) for role, ref in area.units.kept] == [
        ("lead", "市发展改革局"),
        ("support", "市交通运输局"),
    ]
    assert "无牵头单位" not in " ".join(f for r in review.rows for f in r.flags)


def test_units_set_by_hand_survive_the_revision(world, assigned):
    task_five = Task.objects.get(plan=assigned, label="5.")
    notice_task = Task.objects.get(plan=assigned, label="7.")
    commit = importing.commit_import(reimport_session(world, assigned, revised()), world.office_a)
    assert commit.pk == assigned.pk
    for area in Task.objects.filter(plan=assigned, depth=0):
        assert units(area, Role.LEAD) == ["市发展改革局"]
        assert units(area, Role.SUPPORT) == ["市交通运输局"]
    assert units(task_five, Role.LEAD, inherited=True) == ["市发展改革局"]
    assert units(notice_task, Role.LEAD, inherited=True) == ["市发展改革局"]


def test_the_revision_names_units_for_one_item(world, assigned):
    importing.commit_import(reimport_session(world, assigned, revised()), world.office_a)
    four = Task.objects.get(plan=assigned, label="4.")
    assert four.title == "优化轨道交通布局"  # the clause goes to the unit columns, not the title
    assert units(four, Role.LEAD, inherited=False) == ["市交通运输局"]
    assert units(four, Role.SUPPORT, inherited=False) == ["市发展改革局"]
    history = {c.field: (c.before, c.after) for c in Change.objects.filter(task=four)}
    assert history["lead"] == ("", "市交通运输局")
    assert history["support"] == ("", "市发展改革局")


def test_notices_already_issued_keep_a_lead_unit(world, assigned):
    task = Task.objects.get(plan=assigned, label="7.")
    drafts = supervision.propose_notices(assigned, dt.date(2023, 12, 20))
    assert any(int(d.task_id) == task.pk for d in drafts)
    [notice] = supervision.issue_notices(assigned, [task.pk], world.office_a, dt.date(2023, 12, 20), drafts)
    importing.commit_import(reimport_session(world, assigned, revised()), world.office_a)
    assert units(notice.task, Role.LEAD) == [notice.lead_unit.name] == ["市发展改革局"]


def test_a_revision_naming_other_units_replaces_the_hand_set_ones(world, assigned):
    area = Task.objects.get(plan=assigned, label="一、")
    text = PLAN.replace("一、推进规划统筹一体化", "一、推进规划统筹一体化（牵头单位：市自然资源局）")
    session = reimport_session(world, assigned, text)
    row = next(r for r in importing.review(session).rows if r.item["label"] == "一、")
    assert row.title == "推进规划统筹一体化"
    assert [(role, ref.name) for role, ref in row.units.added] == [("lead", "市自然资源局")]
    assert [(role, ref.name) for role, ref in row.units.removed] == [("lead", "市发展改革局")]
    importing.commit_import(session, world.office_a)
    assert units(area, Role.LEAD) == ["市自然资源局"]
    assert units(area, Role.SUPPORT) == ["市交通运输局"]  # the revision names no support: kept
    change = Change.objects.get(task=area, field="lead", after="市自然资源局")
    assert change.before == "市发展改革局"
    assert Unit.objects.filter(name="市自然资源局", city=world.city_a).exists()
