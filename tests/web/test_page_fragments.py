"""The parts of the ledger and task pages built in Python: escaped, and the same as the templates made."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from luoshi.ledger import services
from luoshi.ledger.models import ProgressReport, TaskTarget, Unit
from luoshi.ledger.periods import offered

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"


def _hostile_task(world):
    task = world.task_a
    services.update_task(task, world.office_a, task.version, {"title": f"标题{HOSTILE}"})
    task.refresh_from_db()
    return task


def test_hostile_task_title_is_escaped_on_the_task_page_and_the_ledger(world, client):
    _hostile_task(world)
    client.force_login(world.admin)
    task_page = client.get(f"/tasks/{world.task_a.pk}/").content.decode()
    ledger = client.get("/ledger/", {"q": "标题"}).content.decode()
    for body in (task_page, ledger):
        assert "<script>alert" not in body
        assert f"标题{ESCAPED}" in body
    assert f"→ 标题{ESCAPED}</li>" in task_page  # the title change in the history, escaped too


def test_hostile_text_in_reports_units_and_history_is_escaped(world, client):
    unit = world.transport_a
    unit.name = f"交通{HOSTILE}"
    unit.save()
    task = _hostile_task(world)
    target = TaskTarget.objects.create(task=task, metric=f"里程{HOSTILE}", unit="公里", value=10)
    report = services.submit_report(
        task,
        world.reporter_a,
        period="2024-03",
        status="推进中",
        narrative=f"第一行{HOSTILE}\n第二行",
        values={target.pk: 3.5},
        attachments=[SimpleUploadedFile(f"a{HOSTILE}.txt", b"x", content_type="text/plain")],
    )
    services.return_report(report, world.office_a, f"退回{HOSTILE}")
    client.force_login(world.office_a)
    body = client.get(f"/tasks/{task.pk}/").content.decode()
    assert "<script>" not in body
    assert f"第一行{ESCAPED}<br>第二行" in body
    assert f"已退回：退回{ESCAPED}" in body
    assert f"里程{ESCAPED}：3.5公里" in body
    assert f"交通{ESCAPED}" in body  # the lead unit, the report's unit and the unit options
    assert f'<option value="{unit.pk}" selected>交通{ESCAPED}</option>' in body
    ledger = client.get("/ledger/").content.decode()
    assert "<script>" not in ledger
    assert f'<option value="{unit.pk}">交通{ESCAPED}（{unit.city.name}）</option>' in ledger


def test_task_page_lists_reports_with_their_marks(world, client):
    task = world.task_a
    first = services.submit_report(task, world.reporter_a, period="2024-03", status="推进中", narrative="一")
    services.return_report(first, world.office_a, "不全")
    services.submit_report(task, world.reporter_a, period="2024-03", status="已完成", narrative="二")
    client.force_login(world.office_a)
    body = client.get(f"/tasks/{task.pk}/").content.decode()
    latest = ProgressReport.objects.filter(task=task).order_by("-version").first()
    assert body.count('<div class="card report">') == 2
    assert "（更正）" in body
    assert '<span class="status-已完成">已完成</span>' in body
    # only the report not yet returned can be returned, from a form with its own CSRF field
    assert body.count('name="reason"') == 1
    assert (
        f'action="/reports/{latest.pk}/return/"><input type="hidden" name="csrfmiddlewaretoken" value="'
        in body
    )
    assert f'action="/reports/{first.pk}/return/"' not in body


def test_task_page_options_keep_the_choices(world, client):
    client.force_login(world.admin)
    task = world.task_a
    body = client.get(f"/tasks/{task.pk}/").content.decode()
    assert f'<option value="{task.domain}" selected>' in body
    assert f'<option value="{world.transport_a.pk}" selected>' in body
    period = offered(task.plan, timezone.localdate())[-1]
    client.force_login(world.reporter_a)
    response = client.post(f"/tasks/{task.pk}/report/", {"period": period, "status": "滞后", "narrative": ""})
    assert response.status_code == 400  # re-shown with what was chosen
    body = response.content.decode()
    assert '<option value="滞后" selected>' in body
    assert f'<option value="{period}" selected>' in body


def test_unit_options_follow_changes(world, client):
    client.force_login(world.admin)
    assert "新设单位" not in client.get("/ledger/").content.decode()
    Unit.objects.create(name="新设单位", city=world.city_a)
    body = client.get("/ledger/").content.decode()
    assert "新设单位" in body
    unit = Unit.objects.get(name="新设单位")
    assert (
        f'<option value="{unit.pk}" selected>新设单位（甲市）</option>'
        in client.get("/ledger/", {"unit": unit.pk}).content.decode()
    )


def test_unit_names_are_read_again_for_a_unit_made_elsewhere(world, client):
    from luoshi.ledger import fragments
    from luoshi.ledger.views import ledger_version

    version = ledger_version()
    assert fragments.names_by_id(version)[world.transport_a.pk] == "市交通运输局"
    # bulk_create sends no signal: as if another process had made the unit.
    (made,) = Unit.objects.bulk_create([Unit(name="市新设管理局", city=world.city_a)])
    made = Unit.objects.get(name="市新设管理局")
    assert made.pk not in fragments.names_by_id(version)
    assert fragments.names_by_id(version, {made.pk})[made.pk] == "市新设管理局"
    task = world.task_a
    task.assignments.filter(role="lead").update(unit=made)
    client.force_login(world.admin)
    assert "市新设管理局" in client.get("/ledger/", {"q": task.title[:6]}).content.decode()
