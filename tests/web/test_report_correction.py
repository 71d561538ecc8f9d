"""A returned report is corrected from what it said: the unit is told why it came back, the form
starts from the first version's text, status, figures and attachments, and nothing is lost."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from fpdf import FPDF

from luoshi.ledger import services
from luoshi.ledger.models import ProgressReport, Status
from luoshi.ledger.periods import offered

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=12)
    doc.cell(text="Progress photo sheet")
    return bytes(doc.output())


DAY = dt.date(2024, 6, 20)  # the office's day in these tests: May is being reported


@pytest.fixture(autouse=True)
def _office_day(office_day):
    office_day(DAY)


def last_period(task) -> str:
    """A period the form offers, before the one being reported now."""
    return offered(task.plan, DAY)[1]


@pytest.fixture
def returned(world):
    """v1 of （一）: 推进中, 12 km of the 50 km target, a PDF; returned by the office with a reason."""
    task = world.task_a
    [target] = task.targets.all()
    v1 = services.submit_report(
        task,
        world.reporter_a,
        period=last_period(task),
        status=Status.IN_PROGRESS,
        narrative="完成路基施工12公里。",
        values={target.pk: 12},
        attachments=[SimpleUploadedFile("现场照片.pdf", pdf_bytes())],
    )
    services.return_report(v1, world.office_a, "请补充投资完成额")
    return v1


def test_my_tasks_says_returned_with_the_reason(world, returned, login):
    page = login(world.reporter_a).get("/mine/")
    html = page.content.decode()
    [row] = [r for r in page.context["rows"] if r["task"] == world.task_a]
    assert row["returned"] == "请补充投资完成额" and row["period"] == returned.period
    assert "已退回" in html and "请补充投资完成额" in html
    assert "1 份报送被退回" in html
    assert f"?period={returned.period}#report-form" in html


def test_the_correction_form_starts_from_the_first_version(world, returned, login):
    page = login(world.reporter_a).get(f"/tasks/{world.task_a.pk}/?period={returned.period}")
    form = page.context["report_form"]
    assert form["period"] == returned.period
    assert form["returned"] == "请补充投资完成额"
    assert form["narrative"] == "完成路基施工12公里。"
    assert form["status"] == Status.IN_PROGRESS
    assert [value for _target, value in form["targets"]] == ["12"]
    assert [(a.name, kept) for a, kept in form["attachments"]] == [("现场照片.pdf", True)]
    html = page.content.decode()
    assert '<option value="推进中" selected>' in html
    assert f'<option value="{returned.period}" selected>' in html
    assert "完成路基施工12公里。</textarea>" in html


def test_version_two_keeps_the_attachment_and_the_status(world, returned, login):
    client = login(world.reporter_a)
    [target] = world.task_a.targets.all()
    [attachment] = returned.attachments.all()
    response = client.post(
        f"/tasks/{world.task_a.pk}/report/",
        {
            "period": returned.period,
            "status": Status.IN_PROGRESS,
            "narrative": "完成路基施工12公里，完成投资3.2亿元。",
            f"target_{target.pk}": "12",
            "keep_attachment": [str(attachment.pk)],
        },
    )
    assert response.status_code == 302
    v2 = ProgressReport.objects.get(task=world.task_a, version=2)
    assert v2.supersedes == returned and v2.status == Status.IN_PROGRESS
    [carried] = v2.attachments.all()
    assert carried.name == "现场照片.pdf" and carried.file.read() == attachment.file.read()
    assert [v.value for v in v2.values.all()] == [12]
    world.task_a.refresh_from_db()
    assert world.task_a.status == Status.IN_PROGRESS
    assert client.get("/mine/").context["returned_count"] == 0
    assert [a.name for a in returned.attachments.all()] == ["现场照片.pdf"]  # v1 untouched


def test_an_unticked_attachment_is_left_out_of_version_two(world, returned):
    v2 = services.submit_report(
        world.task_a,
        world.reporter_a,
        period=returned.period,
        status=Status.IN_PROGRESS,
        narrative="补充投资完成额。",
        keep_attachments=[],
    )
    assert not v2.attachments.exists() and returned.attachments.count() == 1


def test_only_the_previous_versions_attachments_can_be_carried(world, returned):
    other = services.submit_report(
        world.task(world.plan_a, "（二）"),
        world.supporter_a,
        period=returned.period,
        status=Status.IN_PROGRESS,
        narrative="另一任务",
        attachments=[SimpleUploadedFile("别的.pdf", pdf_bytes())],
    )
    v2 = services.submit_report(
        world.task_a,
        world.reporter_a,
        period=returned.period,
        status=Status.IN_PROGRESS,
        narrative="补充。",
        keep_attachments=[a.pk for a in other.attachments.all()],
    )
    assert not v2.attachments.exists()


def test_a_new_report_starts_from_the_tasks_status_not_not_started(world, returned, login):
    task = world.task_a
    current = offered(task.plan, DAY)[0]
    page = login(world.reporter_a).get(f"/tasks/{task.pk}/?period={current}")
    assert page.context["report_form"]["status"] == Status.IN_PROGRESS
    assert page.context["report_form"]["narrative"] == ""
    assert '<option value="推进中" selected>' in page.content.decode()
