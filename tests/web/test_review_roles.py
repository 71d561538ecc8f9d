"""The review's 性质 select: each row shows the role the engine gave it, the office changes it
before committing, and the ledger keeps what was chosen; a forged role or row changes nothing."""

from __future__ import annotations

import pytest

from luoshi.ledger import importing
from luoshi.ledger.models import Change, ImportSession, Plan, Task
from tests.web.test_task_roles import PLAN_WITH_ROLES
from tests.web.world import import_plan, upload

pytestmark = pytest.mark.django_db

# Rows of PLAN_WITH_ROLES in document order.
BACKGROUND, AGREEMENT, TASKS, RAIL, SAFEGUARDS, LEADERSHIP, INSPECTION = range(7)


@pytest.fixture
def session(world) -> ImportSession:
    return importing.start_import(upload(PLAN_WITH_ROLES), world.office_a)


def test_each_row_shows_the_engines_role(world, session, login):
    body = login(world.office_a).get(f"/import/{session.pk}/").content.decode()
    for row, role in ((BACKGROUND, "context"), (RAIL, "task"), (LEADERSHIP, "safeguard")):
        select = body[body.index(f'name="role_{row}"') :].split("</select>", 1)[0]
        assert f'<option value="{role}" selected>' in select
        assert select.count("selected") == 1
    assert 'data-row="0" class="not-chased"' in body


def test_the_office_changes_roles_before_committing(world, session, login):
    response = login(world.office_a).post(
        f"/import/{session.pk}/",
        {"commit": "1", "city": world.city_a.pk, f"role_{AGREEMENT}": "task", f"role_{RAIL}": "safeguard"},
    )
    assert response.status_code == 302
    plan = ImportSession.objects.get(pk=session.pk).plan
    roles = {t.title: t.role for t in plan.tasks.all()}
    assert roles["合作机制初步建立"] == "task" and roles["加快轨道交通建设"] == "safeguard"
    assert roles["基本情况"] == "context" and roles["加强组织领导"] == "safeguard"


@pytest.mark.parametrize("post", [{f"role_{RAIL}": "boss"}, {f"role_{RAIL}": ""}, {"role_999": "task"}])
def test_a_forged_role_changes_nothing(world, session, login, post):
    plans_before = Plan.objects.count()
    response = login(world.office_a).post(f"/import/{session.pk}/", {"commit": "1", **post})
    assert response.status_code == 400
    assert Plan.objects.count() == plans_before
    assert ImportSession.objects.get(pk=session.pk).state == "open"


def test_a_revision_keeps_the_role_a_task_has_unless_the_review_changes_it(world, login):
    plan = import_plan(world.office_a, world.city_a, text=PLAN_WITH_ROLES)
    Task.objects.filter(plan=plan, title="加强组织领导").update(role="task")  # set by the office
    session = importing.start_import(upload(PLAN_WITH_ROLES), world.office_a, target=plan)
    body = login(world.office_a).get(f"/import/{session.pk}/").content.decode()
    select = body[body.index(f'name="role_{LEADERSHIP}"') :].split("</select>", 1)[0]
    assert '<option value="task" selected>' in select
    importing.commit_import(session, world.office_a)
    assert Task.objects.get(plan=plan, title="加强组织领导").role == "task"
    assert Task.objects.get(plan=plan, title="强化督查考核").role == "safeguard"


def test_a_revision_records_a_role_the_office_changed(world):
    plan = import_plan(world.office_a, world.city_a, text=PLAN_WITH_ROLES)
    session = importing.start_import(upload(PLAN_WITH_ROLES), world.office_a, target=plan)
    importing.commit_import(session, world.office_a, roles={AGREEMENT: "task"})
    task = Task.objects.get(plan=plan, title="合作机制初步建立")
    assert task.role == "task"
    change = Change.objects.get(task=task, field="role")
    assert (change.before, change.after) == ("背景", "任务")
