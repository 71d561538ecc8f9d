"""Which period a unit reports on a day: 我的任务, the report form and the API agree with the lights.

A monthly plan due by the 10th: on 2026-12-05 November is being reported (due 10 December) and
October is the last period due (10 November).
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger import services
from luoshi.ledger.models import ProgressReport, Task
from tests.web.test_api import api, token_for
from tests.web.world import SAMPLE_2026, import_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 5)


@pytest.fixture
def rail(world, office_day) -> Task:
    """The 2026 plan's rail task, led by reporter_a's unit, on 2026-12-05."""
    office_day(DAY)
    plan = import_plan(world.office_a, world.city_a, text=SAMPLE_2026)
    return Task.objects.get(plan=plan, label="（一）")


def mine_row(client, task: Task) -> dict:
    return next(r for r in client.get("/mine/").context["rows"] if r["task"].pk == task.pk)


def report(task: Task, user, period: str, day: dt.date) -> ProgressReport:
    moment = dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)
    return services.submit_report(task, user, period=period, status="推进中", narrative="推进", now=moment)


def test_my_tasks_asks_for_the_last_period_due_while_it_is_missing(world, rail, login):
    client = login(world.reporter_a)
    row = mine_row(client, rail)
    assert (row["period"], row["report"]) == ("2026-10", None)
    assert "2026-10" in client.get("/mine/").content.decode()
    report(rail, world.reporter_a, "2026-10", DAY)
    row = mine_row(client, rail)
    assert (row["period"], row["report"]) == ("2026-11", None)
    report(rail, world.reporter_a, "2026-11", DAY)
    assert mine_row(client, rail)["report"].period == "2026-11"


def test_the_report_form_defaults_to_the_period_that_is_due(world, rail, login):
    report(rail, world.reporter_a, "2026-10", dt.date(2026, 11, 6))
    body = login(world.reporter_a).get(f"/tasks/{rail.pk}/").content.decode()
    form = body[body.index('id="report-form"') :]
    assert '<option value="2026-11" selected>' in form
    assert '<option value="2026-12"' not in form  # December has not ended


def test_a_unit_that_owes_october_is_offered_october_first(world, rail, login):
    body = login(world.reporter_a).get(f"/tasks/{rail.pk}/").content.decode()
    form = body[body.index('id="report-form"') :]
    assert '<option value="2026-10" selected>' in form


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("9999-12", "报送期9999-12尚未结束，现在可报送2026-11及以前各期的进展"),
        ("2026-12", "报送期2026-12尚未结束，现在可报送2026-11及以前各期的进展"),
        ("2026-Q4", "本方案按月报送，报送期应写作“2026-11”"),
    ],
)
def test_a_report_for_a_period_the_plan_cannot_have_yet_is_refused(world, rail, login, period, message):
    client = login(world.reporter_a)
    response = client.post(
        f"/tasks/{rail.pk}/report/", {"period": period, "status": "推进中", "narrative": "x"}
    )
    assert message in response.content.decode()
    answer = api(
        client,
        token_for(world.reporter_a),
        "post",
        f"/api/tasks/{rail.pk}/reports",
        data={"period": period, "status": "推进中", "narrative": "x"},
    )
    assert answer.status_code == 400 and answer.json()["detail"] == message
    assert not ProgressReport.objects.filter(task=rail).exists()
    rail.refresh_from_db()
    assert rail.status == "未启动"


def test_a_report_for_the_period_being_reported_now_is_accepted_through_the_api(world, rail, client):
    answer = api(
        client,
        token_for(world.reporter_a),
        "post",
        f"/api/tasks/{rail.pk}/reports",
        data={"period": "2026-11", "status": "推进中", "narrative": "x"},
    )
    assert answer.status_code == 201


def test_a_supporting_units_contribution_is_held_to_the_same_periods(world, rail):
    with pytest.raises(services.RuleError, match="2026-12尚未结束"):
        services.add_contribution(rail, world.supporter_a, period="2026-12", text="配合")
    assert (
        services.add_contribution(rail, world.supporter_a, period="2026-11", text="配合").period == "2026-11"
    )
