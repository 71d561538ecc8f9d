"""性质 after the commit: office staff change a row's role on the task page, the change is kept in
the task's history, and from then on the row is (or is again) chased or not: 我的任务, 待办 and its
header count, the lights and the dashboard's counts follow. Units, leaders and other offices
cannot change it; a forged role or a stale form changes nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from luoshi.ledger.models import Change, Task
from luoshi.ledger.views import dashboard_figures
from luoshi.supervision_web import services

pytestmark = pytest.mark.django_db

RAIL = "加快轨道交通建设"  # plan A's （一）, led by 市交通运输局 (reporter_a's unit)
ON = dt.date(2024, 6, 20)


def edit(client, task: Task, **changes):
    task.refresh_from_db()
    data = {
        "title": task.title,
        "text": task.text,
        "deadline": task.deadline.isoformat() if task.deadline else "",
        "domain": task.domain,
        "version": task.version,
        **changes,
    }
    return client.post(f"/tasks/{task.pk}/edit/", data)


def inbox_count(html: str) -> int:
    link = re.search(r'<a href="/inbox/" id="inbox-link"[^>]*>(.*?)</a>', html, re.S)
    badge = re.search(r'class="badge[^"]*"[^>]*>(\d+)<', link.group(1)) if link else None
    return int(badge.group(1)) if badge else 0


def test_the_task_page_offers_the_role_to_the_office_only(world, login):
    body = login(world.office_a).get(f"/tasks/{world.task_a.pk}/").content.decode()
    select = body[body.index('name="role"') :].split("</select>", 1)[0]
    assert '<option value="task" selected>任务</option>' in select and "背景" in select and "保障" in select
    for other in (world.reporter_a, world.leader):
        assert 'name="role"' not in login(other).get(f"/tasks/{world.task_a.pk}/").content.decode()


def test_the_office_marks_a_task_background_and_it_is_no_longer_chased(world, login, office_day):
    office_day(ON)
    task = world.task_a
    reporter = login(world.reporter_a)
    before = reporter.get("/inbox/").content.decode()
    assert RAIL in reporter.get("/mine/").content.decode() and RAIL in before
    total = dashboard_figures(world.office_a, ON)["summary"]["total"]
    assert task.pk in {r.task_id for r in services.plan_lights(world.plan_a, ON)}

    response = edit(login(world.office_a), task, role="context")
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.role == "context" and task.version == 2
    change = Change.objects.get(task=task, field="role")
    assert (change.before, change.after, change.who) == ("任务", "背景", world.office_a)
    timeline = login(world.office_a).get(f"/tasks/{task.pk}/").content.decode()
    assert "不是任务" in timeline and "性质" in timeline and "背景" in timeline

    reporter = login(world.reporter_a)
    after = reporter.get("/inbox/").content.decode()
    assert RAIL not in reporter.get("/mine/").content.decode() and RAIL not in after
    assert inbox_count(after) == inbox_count(before) - 1
    assert task.pk not in {r.task_id for r in services.plan_lights(world.plan_a, ON)}
    assert dashboard_figures(world.office_a, ON)["summary"]["total"] == total - 1

    # And back: chased again, with a second history row.
    assert edit(login(world.office_a), task, role="task").status_code == 302
    assert RAIL in login(world.reporter_a).get("/mine/").content.decode()
    assert [(c.before, c.after) for c in Change.objects.filter(task=task, field="role").order_by("pk")] == [
        ("任务", "背景"),
        ("背景", "任务"),
    ]


@pytest.mark.parametrize("who", ["reporter_a", "supporter_a", "leader", "office_b"])
def test_no_one_but_the_plans_office_can_change_the_role(world, login, who):
    response = edit(login(getattr(world, who)), world.task_a, role="context")
    assert response.status_code in (403, 404)
    task = Task.objects.get(pk=world.task_a.pk)
    assert (task.role, task.version) == ("task", 1)
    assert not Change.objects.filter(task=task, field="role").exists()


@pytest.mark.parametrize("role", ["boss", "", "<script>alert(1)</script>", "任务", "x" * 5000, "TASK"])
def test_a_forged_role_is_refused_and_changes_nothing(world, login, role):
    response = edit(login(world.office_a), world.task_a, role=role, title="改过的标题")
    assert response.status_code == 400
    assert "<script>alert" not in response.content.decode()
    task = Task.objects.get(pk=world.task_a.pk)
    assert (task.role, task.title, task.version) == ("task", RAIL, 1)
    assert not Change.objects.filter(task=task).exists()


def test_a_stale_form_does_not_change_the_role(world, login):
    client = login(world.office_a)
    assert edit(client, world.task_a, title="新标题").status_code == 302
    response = client.post(
        f"/tasks/{world.task_a.pk}/edit/",
        {"title": "新标题", "text": "", "deadline": "", "domain": world.task_a.domain, "version": 1, "role": "safeguard"},
    )
    assert response.status_code == 409
    assert Task.objects.get(pk=world.task_a.pk).role == "task"
