"""A text longer than its field holds is refused with the limit named, never cut without a word."""

from __future__ import annotations

import datetime as dt

import pytest

from luoshi.ledger import services
from luoshi.ledger.models import ImportSession, Plan, ReportStateChange, SupportContribution, Task
from luoshi.supervision_web.models import NoticeReply, SupervisionNotice
from tests.web.world import upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [("title", 501, "标题过长（上限 500 字）"), ("text", 50_001, "内容过长（上限 50000 字）")],
)
def test_an_over_long_task_title_or_text_is_refused_and_kept_in_the_form(world, login, field, length, message):
    before = Task.objects.get(pk=world.task_a.pk)
    data = {"title": before.title, "text": before.text, "version": 1, "domain": "交通", field: "长" * length}
    response = login(world.office_a).post(f"/tasks/{world.task_a.pk}/edit/", data)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body and "长" * length in body  # what was typed is still there to shorten
    task = Task.objects.get(pk=world.task_a.pk)
    assert (task.title, task.text, task.version) == (before.title, before.text, 1)


def test_an_over_long_contribution_is_refused(world, login):
    response = login(world.supporter_a).post(
        f"/tasks/{world.task_a.pk}/contribute/", {"period": "2024-03", "text": "配" * 20_001}
    )
    assert response.status_code == 400 and "过长（上限 20000 字）" in response.content.decode()
    assert not SupportContribution.objects.exists()


def test_an_over_long_return_reason_is_refused(world, login):
    report = services.submit_report(world.task_a, world.reporter_a, period="2024-03", status="推进中", narrative="开工")
    response = login(world.office_a).post(f"/reports/{report.pk}/return/", {"reason": "补" * 2001}, follow=True)
    assert "过长（上限 2000 字）" in response.content.decode()
    assert not ReportStateChange.objects.exists()


def test_an_over_long_notice_reply_is_refused(world, login):
    notice = SupervisionNotice.objects.create(
        number="督〔2024〕1号", plan=world.plan_a, task=world.task_a, lead_unit=world.transport_a,
        reason="逾期未报送", issued_on=dt.date(2024, 4, 15), reply_due=dt.date(2024, 4, 22),
    )
    response = login(world.reporter_a).post(f"/notices/{notice.pk}/reply/", {"text": "办" * 20_001}, follow=True)
    assert "过长（上限 20000 字）" in response.content.decode()
    assert not NoticeReply.objects.exists()


@pytest.mark.parametrize(
    ("field", "message"), [("title_1", "任务标题过长（上限 500 字）"), ("plan_title", "方案标题过长（上限 300 字）")]
)
def test_an_over_long_title_on_the_import_review_is_refused(world, login, field, message):
    client = login(world.office_a)
    client.post("/import/", {"file": upload("一、工作\n（一）开展研究。（牵头单位：市交通运输局）\n", "x.txt")})
    session = ImportSession.objects.latest("pk")
    response = client.post(f"/import/{session.pk}/", {"commit": "1", field: "题" * 501})
    assert response.status_code == 400 and message in response.content.decode()
    assert Plan.objects.count() == 2
