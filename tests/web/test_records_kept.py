"""What units reported and what the office did stays: a revision that changes a target keeps the
values reported against the old one; plans, tasks and users that anything refers to are not deleted."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import ProtectedError

from luoshi.ledger import importing, services, task_reads
from luoshi.ledger.models import Change, Plan, ProgressReport, ReportValue, Task, TaskTarget
from tests.web.world import SAMPLE, upload

pytestmark = pytest.mark.django_db

REVISED_TARGET = SAMPLE.replace("建成城际铁路50公里", "建成城际铁路60公里")


@pytest.fixture
def reported(world):
    """（一） has a target of 50 km and a report of 12 km against it."""
    task = world.task_a
    [target] = task.targets.all()
    assert target.value == 50
    report = services.submit_report(
        task,
        world.reporter_a,
        period="2024-03",
        status="推进中",
        narrative="路基12公里",
        values={target.pk: 12},
    )
    return task, target, report


def test_a_changed_target_keeps_the_values_reported_against_the_old_one(world, reported):
    task, old, report = reported
    session = importing.start_import(upload(REVISED_TARGET), world.office_a, target=world.plan_a)
    importing.commit_import(session, world.office_a)
    [value] = ReportValue.objects.filter(report=report)
    assert value.value == 12 and value.target_id == old.pk
    assert value.target.value == 50 and value.target.superseded_at is not None
    assert [t.value for t in task.targets.all()] == [60]
    assert [t.value for t in task_reads.targets(task)] == [60]
    assert TaskTarget.all_objects.filter(task=task).count() == 2
    change = Change.objects.get(task=task, field="targets")
    assert "50" in change.before and "60" in change.after


def test_the_task_page_still_shows_the_old_value(world, reported, login):
    task, _old, _report = reported
    session = importing.start_import(upload(REVISED_TARGET), world.office_a, target=world.plan_a)
    importing.commit_import(session, world.office_a)
    html = login(world.office_a).get(f"/tasks/{task.pk}/").content.decode()
    assert "路基12公里" in html
    # The value, against the 50 km target it was reported on.
    assert re.search(r"城际铁路：12(\.0)?公里</div>", html)


def test_a_target_with_reported_values_cannot_be_deleted(reported):
    _task, target, _report = reported
    with pytest.raises(ProtectedError):
        TaskTarget.all_objects.filter(pk=target.pk).delete()


def test_the_admin_cannot_delete_a_plan_and_its_records(world, reported, login):
    client = login(world.admin)
    plan = world.plan_a
    page = client.post(f"/admin/ledger/plan/{plan.pk}/delete/", {"post": "yes"})
    assert page.status_code == 200  # Django's page naming what protects it, not a redirect
    assert Plan.objects.filter(pk=plan.pk).exists()
    assert Task.objects.filter(plan=plan).count() == 7
    assert ProgressReport.objects.filter(task__plan=plan).count() == 1
    with pytest.raises(ProtectedError):
        Plan.objects.filter(pk=plan.pk).delete()


def test_a_user_who_reported_is_deactivated_not_deleted(world, reported, login):
    reporter = world.reporter_a
    client = login(world.admin)
    client.post(f"/admin/auth/user/{reporter.pk}/delete/", {"post": "yes"})
    assert get_user_model().objects.filter(pk=reporter.pk).exists()
    assert ProgressReport.objects.get().submitted_by == reporter
    with pytest.raises(ProtectedError):
        reporter.delete()
