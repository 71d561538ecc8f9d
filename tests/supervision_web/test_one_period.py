"""The lights, notices, reminders and bulletins judge the same period as 我的任务 and the report form.

The 2026 plan reports monthly by the 10th. On 2026-12-05 November is being reported (due 10
December) and October is the last period due (10 November).
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger.models import Task
from luoshi.supervision_web import reminders
from tests.supervision_web.test_reminders import Recorder
from tests.web.world import SAMPLE_2026, import_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 5)


@pytest.fixture
def plan(world, office_day):
    """The 2026 plan, issued on 1 October: its units owe reports from October on."""
    office_day(DAY)
    plan = import_plan(world.office_a, world.city_a, text=SAMPLE_2026)
    plan.date = dt.date(2026, 10, 1)
    plan.save()
    return plan


def report_with_the_forms_default(client, task: Task, narrative: str) -> str:
    """Open the task page, keep the period the form offers, submit; the period reported."""
    page = client.get(f"/tasks/{task.pk}/")
    period = page.context["period"]
    response = client.post(
        f"/tasks/{task.pk}/report/", {"period": period, "status": "推进中", "narrative": narrative}
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    return period


def test_a_unit_that_reports_what_the_form_offers_is_not_chased(world, plan, login, office_day):
    rail = Task.objects.get(plan=plan, label="（一）")
    reporter = login(world.reporter_a)
    office_day(dt.date(2026, 11, 6))
    assert report_with_the_forms_default(reporter, rail, "10月进展") == "2026-10"
    office_day(DAY)
    assert report_with_the_forms_default(reporter, rail, "11月进展") == "2026-11"
    mine = reporter.get("/mine/").content.decode()
    assert "2026-11：已报送 v1" in mine

    office = login(world.office_a)
    lights = office.get(f"/plans/{plan.pk}/lights/").content.decode()
    row = lights[lights.index(f'href="/tasks/{rail.pk}/"') :].split("</tr>")[0]
    assert "逾期未报送" not in row and "red" not in row
    assert "本期报送：2026-10" in lights
    proposed = office.get(f"/plans/{plan.pk}/notices/propose/").content.decode()
    assert "加快轨道交通建设" not in proposed
    assert "织密高速公路网络" in proposed  # its unit reported nothing for October


def test_overdue_reminders_chase_only_the_last_period_due(world, plan):
    rail = Task.objects.get(plan=plan, label="（一）")
    road = Task.objects.get(plan=plan, label="（二）")
    moment = dt.datetime(2026, 12, 11, 9, tzinfo=dt.UTC)
    from luoshi.ledger import services as ledger

    ledger.submit_report(rail, world.reporter_a, period="2026-11", status="推进中", narrative="x", now=moment)
    sent = reminders.send_due(dt.date(2026, 12, 15), Recorder(), [plan]).sent
    # On 15 December the lights judge November: the rail task reported it, the road task did not.
    assert sorted(sent) == sorted(
        [f"{road.pk}:2026-11:after", f"{Task.objects.get(plan=plan, label='（三）').pk}:2026-11:after"]
    )
