"""The task edit form shows every unit the task has, inherited ones marked; saving changes only
what was changed, in one transaction, and history records each unit change with its true old value."""

from __future__ import annotations

import pytest

from luoshi.ledger import services
from luoshi.ledger.models import Change, Role, Task, TaskAssignment, Unit

pytestmark = pytest.mark.django_db

SUPPORT = [
    "市教育局",
    "市公安局",
    "市民政局",
    "市财政局",
    "市人社局",
    "市自然资源局",
    "市生态环境局",
    "市住建局",
]


@pytest.fixture
def child(world) -> Task:
    """Item 1. under （三）, whose lead 市商务局 and eight supporting units it inherits."""
    parent = world.task(world.plan_a, "（三）")
    units = [Unit.objects.create(name=n, city=world.city_a) for n in SUPPORT]
    commerce = Unit.objects.get(name="市商务局", city=world.city_a)
    services.set_assignments(parent, world.office_a, [commerce], units)
    task = world.task(world.plan_a, "1.")
    assert set(names(task, Role.SUPPORT)) == set(SUPPORT)
    assert all(a.inherited for a in TaskAssignment.objects.filter(task=task))
    return task


def names(task: Task, role: str) -> list[str]:
    return list(TaskAssignment.objects.filter(task=task, role=role).values_list("unit__name", flat=True))


def form_of(client, task: Task, **changes) -> dict:
    """The edit form as the page fills it in, with ``changes`` applied."""
    context = client.get(f"/tasks/{task.pk}/").context
    edit = context["edit"]
    data = {
        "title": edit["title"],
        "text": edit["text"],
        "deadline": edit["deadline"].isoformat() if edit["deadline"] else "",
        "domain": edit["domain"],
        "version": edit["version"],
        "units_shown": "1",
        "lead": [str(i) for i in context["lead_ids"]],
        "support": [str(i) for i in context["support_ids"]],
    }
    data.update(changes)
    return data


def test_the_form_selects_inherited_units_and_says_they_are_inherited(world, child, login):
    client = login(world.office_a)
    page = client.get(f"/tasks/{child.pk}/")
    html = page.content.decode()
    support_ids = set(
        TaskAssignment.objects.filter(task=child, role=Role.SUPPORT).values_list("unit_id", flat=True)
    )
    assert page.context["support_ids"] == support_ids and len(support_ids) == 8
    for unit_id in support_ids:
        assert f'<option value="{unit_id}" selected>' in html
    assert "已选中的单位含继承自上级任务的" in html and "市教育局" in html


def test_changing_only_the_lead_and_deadline_keeps_the_inherited_support(world, child, login):
    client = login(world.office_a)
    data = form_of(client, child, lead=[str(world.ndrc_a.pk)], deadline="2024-09-30")
    assert client.post(f"/tasks/{child.pk}/edit/", data).status_code == 302
    child.refresh_from_db()
    assert child.deadline.isoformat() == "2024-09-30"
    assert names(child, Role.LEAD) == ["市发展改革局"]
    assert sorted(names(child, Role.SUPPORT)) == sorted(SUPPORT)
    lead = Change.objects.get(task=child, field="lead")
    assert lead.before == "市商务局（继承）" and lead.after == "市发展改革局"
    assert not Change.objects.filter(task=child, field="support").exists()


def test_removing_units_is_recorded_with_what_was_there(world, child, login):
    client = login(world.office_a)
    data = form_of(client, child)
    kept = data["support"][2:]
    client.post(f"/tasks/{child.pk}/edit/", {**data, "support": kept})
    assert len(names(child, Role.SUPPORT)) == 6
    change = Change.objects.get(task=child, field="support")
    assert change.before.count("（继承）") == 8
    assert len(change.after.split("、")) == 6
    assert names(child, Role.LEAD) == ["市商务局"]  # the lead was sent as it was: still inherited
    assert TaskAssignment.objects.get(task=child, role=Role.LEAD).inherited


def test_saving_the_form_unchanged_changes_no_unit(world, child, login):
    client = login(world.office_a)
    client.post(f"/tasks/{child.pk}/edit/", form_of(client, child))
    assert all(a.inherited for a in TaskAssignment.objects.filter(task=child))
    assert not Change.objects.filter(task=child, field__in=["lead", "support"]).exists()


@pytest.mark.parametrize("bad", ["999999", "9223372036854775808", "abc"])
def test_a_bad_unit_list_saves_nothing(world, child, login, bad):
    client = login(world.office_a)
    data = form_of(client, child, title="改过的标题", lead=[bad])
    response = client.post(f"/tasks/{child.pk}/edit/", data)
    assert response.status_code == 400
    child.refresh_from_db()
    assert child.title == "建设合作园区"
    assert names(child, Role.LEAD) == ["市商务局"]
