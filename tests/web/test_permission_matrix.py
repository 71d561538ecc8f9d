"""Every role against every action, through the real views.

``world`` has two cities, each with a plan managed by its own office. task_a (plan A, unpublished)
is led by 甲市交通运输局 (reporter_a) and supported by 甲市发展改革局 (supporter_a); task_b is the
same item of plan B (published), led by 乙市交通运输局 (reporter_b). A report on task_a exists, and a
spare unit 市交通局 (甲市, alias 交通局) for the unit register's actions, which only 甲市's office
and the admin may change. A 督办单 on task_a goes to its lead unit and names the supporting unit
under 抄送: that unit reads it and answers nothing. A refused request changes nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.accounts.models import AuditLog
from luoshi.ledger import services
from luoshi.ledger.models import Change, Plan, ProgressReport, Task, TaskAssignment, Unit, UnitAlias
from luoshi.supervision_web.models import NoticeReply, NoticeTransition, SupervisionNotice

pytestmark = pytest.mark.django_db

# ok: allowed (200, or a redirect after success); no: 403; login: sent to the login page.
PERSONAS = [
    "admin",
    "office_a",
    "office_b",
    "reporter_a",
    "supporter_a",
    "reporter_b",
    "leader",
    "leader_b",
    "anon",
]
EXPECTED = {
    #                     admin   off_a   off_b   rep_a   sup_a   rep_b   leader  lead_b  anon
    "view plan A": ["ok", "ok", "no", "ok", "ok", "no", "ok", "no", "no"],
    "view plan B": ["ok", "no", "ok", "no", "no", "ok", "ok", "ok", "ok"],
    "view task A": ["ok", "ok", "no", "ok", "ok", "no", "ok", "no", "no"],
    "view task B": ["ok", "no", "ok", "no", "no", "ok", "ok", "ok", "ok"],
    "edit task A": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    "report on task A": ["no", "no", "no", "ok", "no", "no", "no", "no", "login"],
    "contribute task A": ["no", "no", "no", "no", "ok", "no", "no", "no", "login"],
    "return report A": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    "publish plan A": ["ok", "ok", "no", "no", "no", "no", "no", "no", "no"],
    "reimport plan A": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    "import page": ["ok", "ok", "ok", "no", "no", "no", "no", "no", "login"],
    "ledger": ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "login"],
    "dashboard": ["ok", "ok", "ok", "no", "no", "no", "ok", "ok", "login"],
    "audit log": ["ok", "no", "no", "no", "no", "no", "no", "no", "login"],
    "attachment A": ["ok", "ok", "no", "ok", "ok", "no", "ok", "no", "no"],
    "unit list": ["ok", "ok", "ok", "no", "no", "no", "no", "no", "login"],
    "unit export": ["ok", "ok", "ok", "no", "no", "no", "no", "no", "login"],
    "add unit": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    "edit unit": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    "add alias": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    "remove alias": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    "merge units": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    # The notice on task A: to 甲市交通运输局 (rep_a), 抄送 甲市发展改革局 (sup_a), who only reads it.
    "view notice A": ["ok", "ok", "no", "ok", "ok", "no", "ok", "no", "login"],
    "notice A Word": ["ok", "ok", "no", "ok", "ok", "no", "ok", "no", "login"],
    "sign notice A": ["ok", "ok", "no", "ok", "no", "no", "no", "no", "login"],
    "reply notice A": ["no", "no", "no", "ok", "no", "no", "no", "no", "login"],
    "escalate notice A": ["ok", "ok", "no", "no", "no", "no", "no", "no", "login"],
    # The JSON API answers 401, not a login page, to a visitor; the 跨城通办 list has no public form.
    "api services": ["ok", "ok", "ok", "no", "no", "no", "ok", "ok", "401"],
    "api service item": ["ok", "ok", "ok", "no", "no", "no", "ok", "ok", "401"],
}


def request_for(world, action: str, report, attachment, spare: UnitAlias, notice: SupervisionNotice):
    a, b = world.task_a.pk, world.task_b.pk
    unit = f"/units/{spare.unit_id}/"
    n = f"/notices/{notice.pk}/"
    return {
        "view notice A": ("get", n, {}),
        "notice A Word": ("get", f"{n}notice.docx", {}),
        "sign notice A": ("post", f"{n}move/", {"to": "received"}),
        "reply notice A": ("post", f"{n}reply/", {"text": "已落实"}),
        "escalate notice A": ("post", f"{n}move/", {"to": "escalated", "leader": world.leader.pk}),
        "view plan A": ("get", f"/plans/{world.plan_a.pk}/", {}),
        "view plan B": ("get", f"/plans/{world.plan_b.pk}/", {}),
        "view task A": ("get", f"/tasks/{a}/", {}),
        "view task B": ("get", f"/tasks/{b}/", {}),
        "edit task A": ("post", f"/tasks/{a}/edit/", {"title": "新标题", "version": 1, "domain": "交通"}),
        "report on task A": (
            "post",
            f"/tasks/{a}/report/",
            {"period": "2024-04", "status": "推进中", "narrative": "进展"},
        ),
        "contribute task A": ("post", f"/tasks/{a}/contribute/", {"period": "2024-04", "text": "配合"}),
        "return report A": ("post", f"/reports/{report.pk}/return/", {"reason": "请补充"}),
        "publish plan A": ("post", f"/plans/{world.plan_a.pk}/publish/", {"published": "1"}),
        "reimport plan A": ("get", f"/plans/{world.plan_a.pk}/reimport/", {}),
        "import page": ("get", "/import/", {}),
        "ledger": ("get", "/ledger/", {}),
        "dashboard": ("get", "/dashboard/", {}),
        "audit log": ("get", "/accounts/audit/", {}),
        "attachment A": ("get", f"/attachments/{attachment.pk}/", {}),
        "unit list": ("get", "/units/", {}),
        "unit export": ("get", "/units/export.xlsx", {}),
        "add unit": ("post", "/units/new/", {"name": "市数据局", "city": world.city_a.pk}),
        "edit unit": ("post", unit, {"name": "市交通管理局", "city": world.city_a.pk}),
        "add alias": ("post", f"{unit}aliases/", {"name": "交通委"}),
        "remove alias": ("post", f"{unit}aliases/{spare.pk}/remove/", {}),
        "merge units": ("post", f"{unit}merge/", {"into": world.transport_a.pk, "confirm": "1"}),
        "api services": ("get", "/api/services", {}),
        "api service item": ("get", f"/api/services/{service_item().pk if 'item' in action else 0}", {}),
    }[action]


def service_item():
    from luoshi.indicators.models import ServiceItem

    return ServiceItem.objects.get_or_create(name="社会保障卡申领", defaults={"category": "社会保障"})[0]


def snapshot() -> tuple:
    """What any of the actions could change."""
    return (
        sorted(Unit.objects.values_list("pk", "name", "city_id", "parent_id")),
        sorted(UnitAlias.objects.values_list("pk", "name", "unit_id")),
        sorted(TaskAssignment.objects.values_list("task_id", "unit_id", "role")),
        sorted(Task.objects.values_list("pk", "title", "version")),
        sorted(Plan.objects.values_list("pk", "published")),
        ProgressReport.objects.count(),
        Change.objects.count(),
        sorted(SupervisionNotice.objects.values_list("pk", "state", "escalated_to")),
        NoticeTransition.objects.count(),
        NoticeReply.objects.count(),
    )


def outcome(response) -> str:
    if response.status_code == 403:
        return "no"
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    if response.status_code in (200, 302):
        return "ok"
    return str(response.status_code)


CASES = [(action, persona, row[i]) for action, row in EXPECTED.items() for i, persona in enumerate(PERSONAS)]


@pytest.mark.parametrize(("action", "persona", "expected"), CASES, ids=[f"{p}-{a}" for a, p, _ in CASES])
def test_permission_matrix(world, client, action, persona, expected):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = services.submit_report(
        world.task_a,
        world.reporter_a,
        period="2024-03",
        status="推进中",
        narrative="开工",
        attachments=[SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n")],
    )
    attachment = report.attachments.get()
    spare = UnitAlias.objects.create(
        name="交通局", unit=Unit.objects.create(name="市交通局", city=world.city_a)
    )
    notice = SupervisionNotice.objects.create(
        number="督〔2024〕1号",
        plan=world.plan_a,
        task=world.task_a,
        lead_unit=world.transport_a,
        reason="逾期未报送",
        issued_on=dt.date(2024, 4, 15),
        reply_due=dt.date(2024, 4, 22),
    )
    notice.copy_units.set([world.ndrc_a])
    if persona != "anon":
        client.force_login(getattr(world, persona))
    method, url, data = request_for(world, action, report, attachment, spare, notice)
    before = snapshot()
    response = getattr(client, method)(url, data)
    assert outcome(response) == expected
    if expected == "no" and persona != "anon":
        assert AuditLog.objects.filter(event="permission_denied").exists()
    if expected in ("no", "login"):
        assert snapshot() == before


def test_every_action_has_a_row_for_every_persona():
    assert all(len(row) == len(PERSONAS) for row in EXPECTED.values())


def test_public_pages_show_no_personal_data(world, client):
    services.submit_report(
        world.task_b, world.reporter_b, period="2024-03", status="推进中", narrative="开工"
    )
    body = client.get(f"/tasks/{world.task_b.pk}/").content.decode()
    assert "开工" in body
    assert "reporter_b" not in body and "office_b" not in body
    assert "变更记录" not in body
