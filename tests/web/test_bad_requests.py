"""Requests no page expects get a 4xx that says what is wrong, never a server error; the API
answers in JSON. Run on SQLite and PostgreSQL alike (numbers past 64 bits and NUL characters are
refused by each database in its own way)."""

from __future__ import annotations

import json

import pytest

from luoshi.ledger.models import ImportSession, Plan, ProgressReport, Task
from luoshi.supervision_web.models import SupervisionNotice
from tests.web.test_api import api, token_for
from tests.web.world import upload

pytestmark = pytest.mark.django_db

HUGE = str(2**63)  # one past the largest id a row can have


@pytest.mark.parametrize("name", ["city", "unit", "plan", "page"])
@pytest.mark.parametrize("path", ["/ledger/", "/ledger/export.xlsx"])
def test_a_huge_number_in_a_ledger_filter_is_ignored_like_any_bad_filter(world, login, path, name):
    response = login(world.admin).get(path, {name: HUGE})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [f"/tasks/{HUGE}/", f"/plans/{HUGE}/", f"/notices/{HUGE}/", f"/units/{HUGE}/", "/tasks/99999999999999999999/"],
)
def test_a_huge_id_in_a_page_address_is_not_found(world, login, path):
    assert login(world.admin).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        f"/api/tasks?city={HUGE}",
        f"/api/tasks?unit={HUGE}",
        f"/api/tasks?plan={HUGE}",
        f"/api/tasks?limit={HUGE}",
        f"/api/tasks?offset={HUGE}",
        f"/api/plans?offset={HUGE}",
        f"/api/tasks/{HUGE}",
        f"/api/plans/{HUGE}",
        f"/api/tasks/{HUGE}/reports",
    ],
)
def test_a_huge_number_in_the_api_is_refused_in_json(world, client, path):
    response = api(client, token_for(world.admin), "get", path)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.parametrize("value", ["NaN", "nan", "inf", "-Infinity", "1e999"])
def test_a_report_value_that_is_not_a_finite_number_is_refused(world, login, value):
    target = world.task_a.targets.get()
    response = login(world.reporter_a).post(
        f"/tasks/{world.task_a.pk}/report/",
        {"period": "2024-03", "status": "推进中", "narrative": "进展", f"target_{target.pk}": value},
    )
    assert response.status_code == 400 and 'role="alert"' in response.content.decode()
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("value", ["NaN", "Infinity"])
def test_the_api_refuses_a_report_value_that_is_not_finite(world, client, value):
    target = world.task_a.targets.get()
    body = '{"period": "2024-03", "status": "推进中", "narrative": "进展", "values": {"%s": %s}}'.replace(
        "%s", str(target.pk), 1
    ).replace("%s", value)
    response = api(client, token_for(world.reporter_a), "post", f"/api/tasks/{world.task_a.pk}/reports", data=body)
    assert response.status_code in (400, 422) and "detail" in response.json()
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize("field", [{"city": "abc"}, {"city": HUGE}, {"unitname_0": "市新设局", "unitmap_0": "abc"},
                                   {"unitname_0": "市新设局", "unitmap_0": HUGE}])
def test_a_malformed_choice_on_the_import_review_is_refused(world, login, field):
    client = login(world.office_a)
    client.post("/import/", {"file": upload("一、工作\n（一）开展研究。（牵头单位：市新设局）\n", "x.txt")})
    session = ImportSession.objects.latest("pk")
    response = client.post(f"/import/{session.pk}/", {"commit": "1", **field})
    assert response.status_code == 400
    assert Plan.objects.count() == 2 and ImportSession.objects.get(pk=session.pk).state == "open"


@pytest.mark.parametrize("leader", ["abc", HUGE, ""])
def test_escalating_to_a_malformed_leader_is_refused_and_changes_nothing(world, login, leader):
    import datetime as dt

    notice = SupervisionNotice.objects.create(
        number="督〔2024〕1号", plan=world.plan_a, task=world.task_a, lead_unit=world.transport_a,
        reason="逾期未报送", issued_on=dt.date(2024, 4, 15), reply_due=dt.date(2024, 4, 22),
    )
    response = login(world.office_a).post(f"/notices/{notice.pk}/move/", {"to": "escalated", "leader": leader})
    assert response.status_code == 302
    notice.refresh_from_db()
    assert notice.state == "issued"


@pytest.mark.parametrize("on", ["0001-01-01", "9999-12-31", "0001-01-01T00:00"])
def test_a_day_outside_any_plan_on_the_lights_page_is_refused(world, login, on):
    response = login(world.office_a).get(f"/plans/{world.plan_a.pk}/lights/", {"on": on})
    assert response.status_code in (200, 400)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("get", "/ledger/", {"q": "轨道\x00"}),
        ("get", "/api/tasks", {"q": "\x00"}),
        ("post", "/tasks/{task}/edit/", {"title": "标题\x00", "version": "1", "domain": "交通"}),
        ("post", "/tasks/{task}/report/", {"period": "2024-03", "status": "推进中", "narrative": "进\x00展"}),
        ("post", "/units/new/", {"name": "市\x00局"}),
        ("get", "/accounts/login/", {"next": "/\x00"}),
    ],
)
def test_a_nul_character_anywhere_in_a_request_is_refused(world, login, method, path, data):
    user = world.reporter_a if "report" in path else world.office_a
    client = login(user)
    path = path.format(task=world.task_a.pk)
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token_for(user)}"} if path.startswith("/api/") else {}
    response = getattr(client, method)(path, data, **extra)
    assert response.status_code == 400
    if path.startswith("/api/"):
        assert response["Content-Type"].startswith("application/json")
    task = Task.objects.get(pk=world.task_a.pk)
    assert (task.title, task.version, ProgressReport.objects.count()) == ("加快轨道交通建设", 1, 0)


@pytest.mark.parametrize("path", ["/api/nothing-here", "/api/tasks/abc", "/api/tasks/1/nothing"])
def test_the_api_answers_errors_in_json(world, client, path):
    response = api(client, token_for(world.admin), "get", path)
    assert response.status_code in (404, 422)  # no such address, or a path id that is not a number
    assert response["Content-Type"].startswith("application/json")
    json.loads(response.content)
