"""等保 audit: every change of role or permission, password reset, export and download, report,
notice closed and plan published leaves a row with who, what, when and the client's address."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from luoshi.accounts.models import AuditLog, Profile
from luoshi.ledger import services
from luoshi.supervision_web import bulletins
from luoshi.supervision_web.models import SupervisionNotice
from tests.supervision_web.conftest import report
from tests.web.test_api import token_for

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.23"


def as_user(user) -> Client:
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(user, backend="luoshi.accounts.backends.LockoutBackend")
    return client


def rows(event: str) -> list[AuditLog]:
    return list(AuditLog.objects.filter(event=event))


def assert_audited(event: str, user, *words: str) -> None:
    found = [r for r in rows(event) if r.user_id == user.pk and r.ip == ADDRESS and all(w in r.detail for w in words)]
    assert found, f"no {event} row for {user} with {words}: {[(r.event, r.detail) for r in AuditLog.objects.all()]}"
    assert found[0].at is not None


def test_role_and_permission_changes_through_the_admin_are_audited(world):
    admin = as_user(world.admin)
    profile = Profile.objects.get(user=world.leader_b)
    response = admin.post(
        f"/admin/accounts/profile/{profile.pk}/change/",
        {"user": world.leader_b.pk, "role": "office", "unit": "", "cities": [world.city_b.pk], "phone": ""},
    )
    assert response.status_code == 302
    assert_audited("admin_change", world.admin, "profile", "leader_b")
    user = world.reporter_b
    response = admin.post(
        f"/admin/auth/user/{user.pk}/change/",
        {"username": user.username, "is_active": "on", "is_staff": "on", "is_superuser": "on",
         "date_joined_0": "2024-01-01", "date_joined_1": "00:00:00", "initial-date_joined_0": "2024-01-01",
         "initial-date_joined_1": "00:00:00"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert_audited("admin_change", world.admin, "reporter_b", "Superuser")


def test_a_password_reset_through_the_admin_is_audited(world):
    user = world.reporter_a
    response = as_user(world.admin).post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "New-Password-2024!", "password2": "New-Password-2024!", "usable_password": "true"},
    )
    assert response.status_code == 302
    assert_audited("password_reset", world.admin, "reporter_a")


def test_exports_and_downloads_are_audited(world):
    office = as_user(world.office_a)
    assert office.get("/ledger/export.xlsx", {"status": "推进中"}).status_code == 200
    assert_audited("export", world.office_a, "ledger.xlsx", "status")
    assert office.get("/units/export.xlsx").status_code == 200
    assert_audited("export", world.office_a, "units.xlsx")
    done = services.submit_report(
        world.task_a, world.reporter_a, period="2024-03", status="推进中", narrative="开工",
        attachments=[SimpleUploadedFile("照片.txt", "现场".encode())],
    )
    attachment = done.attachments.get()
    assert office.get(f"/attachments/{attachment.pk}/").status_code == 200
    assert_audited("download", world.office_a, f"attachment {attachment.pk}")
    notice = SupervisionNotice.objects.create(
        number="督〔2024〕1号", plan=world.plan_a, task=world.task_a, lead_unit=world.transport_a,
        reason="逾期未报送", issued_on=dt.date(2024, 4, 15), reply_due=dt.date(2024, 4, 22),
    )
    assert office.get(f"/notices/{notice.pk}/notice.docx").status_code == 200
    assert_audited("download", world.office_a, f"notice {notice.pk}")
    report(world.task(world.plan_a, "1."), "2024-03", "已完成", dt.date(2024, 4, 9))
    row, _files = bulletins.produce(world.plan_a, "2024-03", ["xlsx"], world.office_a)
    assert office.get(f"/bulletins/{row.pk}/xlsx/").status_code == 200
    assert_audited("download", world.office_a, f"bulletin {row.pk}")


def test_api_bulk_reads_are_audited(world):
    client = Client(REMOTE_ADDR=ADDRESS)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token_for(world.leader)}"}
    assert client.get("/api/tasks", {"status": "推进中"}, **auth).status_code == 200
    assert client.get("/api/plans", **auth).status_code == 200
    assert client.get(f"/api/tasks/{world.task_b.pk}/reports", **auth).status_code == 200
    assert_audited("api_read", world.leader, "tasks")
    assert_audited("api_read", world.leader, "plans")
    assert_audited("api_read", world.leader, f"task {world.task_b.pk} reports")


def test_report_submissions_notice_closing_and_publishing_are_audited(world):
    reporter = as_user(world.reporter_a)
    response = reporter.post(
        f"/tasks/{world.task_a.pk}/report/", {"period": "2024-03", "status": "推进中", "narrative": "开工"}
    )
    assert response.status_code == 302
    assert_audited("report_submit", world.reporter_a, f"task {world.task_a.pk}")
    api = Client(REMOTE_ADDR=ADDRESS).post(
        f"/api/tasks/{world.task_a.pk}/reports",
        {"period": "2024-04", "status": "推进中", "narrative": "续建"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(world.reporter_a)}",
    )
    assert api.status_code == 201
    assert_audited("report_submit", world.reporter_a, "(api)")
    notice = SupervisionNotice.objects.create(
        number="督〔2024〕2号", plan=world.plan_a, task=world.task_a, lead_unit=world.transport_a, state="replied",
        reason="逾期未报送", issued_on=dt.date(2024, 4, 15), reply_due=dt.date(2024, 4, 22),
    )
    office = as_user(world.office_a)
    office.post(f"/notices/{notice.pk}/move/", {"to": "closed"})
    notice.refresh_from_db()
    assert notice.state == "closed"
    assert_audited("notice_close", world.office_a, notice.number)
    office.post(f"/plans/{world.plan_a.pk}/publish/", {"published": "1"})
    assert_audited("plan_publish", world.office_a, f"plan {world.plan_a.pk}")
