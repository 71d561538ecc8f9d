"""The JSON API: token auth, the same rules as the pages, bad input refused."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from luoshi.accounts.models import ApiToken, AuditLog
from luoshi.ledger.models import ProgressReport

pytestmark = pytest.mark.django_db


def token_for(user) -> str:
    out = io.StringIO()
    call_command("create_api_token", user.username, stdout=out)
    return out.getvalue().strip()


def api(client, token, method, url, **kw):
    return getattr(client, method)(
        url, HTTP_AUTHORIZATION=f"Bearer {token}", content_type="application/json", **kw
    )


def test_token_is_stored_only_as_a_hash(world):
    token = token_for(world.reporter_a)
    row = ApiToken.objects.get(user=world.reporter_a)
    assert token.startswith("ls_") and token not in (row.digest, row.prefix)


def test_requests_without_a_token_are_refused(world, client):
    assert client.get("/api/plans").status_code == 401
    assert client.get("/api/plans", HTTP_AUTHORIZATION="Bearer ls_wrong").status_code == 401
    assert AuditLog.objects.filter(event="api_auth_failed").exists()


def test_plans_list_is_scoped_like_the_pages(world, client):
    token = token_for(world.office_b)
    items = api(client, token, "get", "/api/plans").json()["items"]
    assert [p["id"] for p in items] == [world.plan_b.pk]
    assert api(client, token, "get", f"/api/plans/{world.plan_a.pk}").status_code == 403


def test_tasks_filtered_by_status_and_search(world, client):
    token = token_for(world.admin)
    items = api(client, token, "get", "/api/tasks", data={"plan": world.plan_a.pk, "q": "轨道"}).json()[
        "items"
    ]
    assert [t["label"] for t in items] == ["（一）"]
    assert items[0]["lead"] == ["市交通运输局"]


def test_reporter_sees_only_its_units_tasks(world, client):
    token = token_for(world.reporter_a)
    items = api(client, token, "get", "/api/tasks").json()["items"]
    assert {t["id"] for t in items} == {world.task_a.pk}
    assert api(client, token, "get", f"/api/tasks/{world.task_b.pk}").status_code == 403


def test_lead_reporter_creates_a_report(world, client):
    token = token_for(world.reporter_a)
    body = {"period": "2024-03", "status": "推进中", "narrative": "开工建设"}
    response = api(client, token, "post", f"/api/tasks/{world.task_a.pk}/reports", data=body)
    assert response.status_code == 201
    assert response.json()["version"] == 1
    listed = api(client, token, "get", f"/api/tasks/{world.task_a.pk}/reports").json()
    assert [r["narrative"] for r in listed] == ["开工建设"]


@pytest.mark.parametrize("user", ["supporter_a", "reporter_b", "office_a", "leader"])
def test_others_cannot_create_reports(world, client, user):
    token = token_for(getattr(world, user))
    body = {"period": "2024-03", "status": "推进中", "narrative": "x"}
    assert api(client, token, "post", f"/api/tasks/{world.task_a.pk}/reports", data=body).status_code == 403
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"period": "2024-03"},
        {"period": "2024-3x", "status": "推进中", "narrative": "x"},
        {"period": "2024-03", "status": "推进中", "narrative": ""},
        {"period": "2024-03", "status": "推进中", "narrative": "x" * 20001},
        {"period": "2024-03", "status": "推进中", "narrative": "x", "values": {"999": 1}},
        "not json",
    ],
)
def test_bad_report_bodies_are_refused(world, client, body):
    token = token_for(world.reporter_a)
    response = api(client, token, "post", f"/api/tasks/{world.task_a.pk}/reports", data=body)
    assert response.status_code in (400, 422)
    assert not ProgressReport.objects.exists()


def test_openapi_docs_are_served_to_signed_in_users(world, client):
    client.force_login(world.reporter_a)
    assert client.get("/api/openapi.json").status_code == 200
    assert client.get("/api/docs").status_code == 200
