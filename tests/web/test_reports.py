"""Progress reports are append-only: corrections are versions, returns are rows, history is written."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.ledger import services
from luoshi.ledger.models import Change, ProgressReport, ReportStateChange, SupportContribution, Task

pytestmark = pytest.mark.django_db


def submit(world, **kw):
    args = {"period": "2024-03", "status": "推进中", "narrative": "已完成征地。"} | kw
    return services.submit_report(world.task_a, world.reporter_a, **args)


def test_a_lead_units_report_moves_the_task_status_and_is_recorded(world):
    report = submit(world, status="已完成")
    world.task_a.refresh_from_db()
    assert report.version == 1 and report.unit == world.transport_a
    assert world.task_a.status == "已完成"
    assert Change.objects.filter(task=world.task_a, field="status", after="已完成").exists()


def test_a_correction_is_a_new_version_superseding_the_old(world):
    first = submit(world)
    second = submit(world, narrative="更正：已完成征地和拆迁。")
    assert (second.version, second.supersedes) == (2, first)
    assert ProgressReport.objects.filter(task=world.task_a).count() == 2


def test_saved_reports_cannot_be_changed(world):
    report = submit(world)
    report.narrative = "改写历史"
    with pytest.raises(ValueError, match="append-only"):
        report.save()


def test_achieved_values_are_kept_per_target(world):
    target = world.task_a.targets.get()
    report = submit(world, values={target.pk: 12.5})
    assert report.values.get().value == 12.5


def test_a_value_for_another_tasks_target_is_refused(world):
    other = Task.objects.get(plan=world.plan_a, label="（二）").targets.get()
    with pytest.raises(services.RuleError):
        submit(world, values={other.pk: 1})
    assert not ProgressReport.objects.exists()


def test_support_unit_cannot_submit_the_report_but_can_contribute(world):
    with pytest.raises(services.RuleError):
        services.submit_report(
            world.task_a, world.supporter_a, period="2024-03", status="推进中", narrative="x"
        )
    services.add_contribution(world.task_a, world.supporter_a, period="2024-03", text="已配合完成规划审查")
    assert SupportContribution.objects.get().unit == world.ndrc_a


def test_office_returns_a_report_with_a_reason_as_a_row(world):
    report = submit(world)
    services.return_report(report, world.office_a, "请补充投资完成额")
    assert ReportStateChange.objects.get(report=report).reason == "请补充投资完成额"
    with pytest.raises(services.RuleError):
        services.return_report(report, world.office_a, "again")


def test_returning_without_a_reason_is_refused(world):
    report = submit(world)
    with pytest.raises(services.RuleError):
        services.return_report(report, world.office_a, "  ")


@pytest.mark.parametrize(
    "kw",
    [
        {"period": "2024-13"},
        {"period": "../x"},
        {"status": "done"},
        {"narrative": ""},
        {"narrative": "x" * 20001},
    ],
)
def test_malformed_reports_are_refused_and_nothing_written(world, kw):
    with pytest.raises(services.RuleError):
        submit(world, **kw)
    assert not ProgressReport.objects.exists()


def test_attachment_with_a_wrong_type_refuses_the_whole_report(world):
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100)
    with pytest.raises(ValueError):
        submit(world, attachments=[exe])
    assert not ProgressReport.objects.exists()


def test_attachment_is_stored_under_a_server_chosen_name(world):
    pdf = SimpleUploadedFile("../../etc/passwd", b"%PDF-1.4\n%%EOF\n")
    report = submit(world, attachments=[pdf])
    a = report.attachments.get()
    assert a.name == "passwd" and a.content_type == "application/pdf"
    assert ".." not in a.file.name and a.file.name.endswith(".pdf")


def test_task_edits_and_assignment_changes_are_history_rows(world):
    services.update_task(world.task_a, world.office_a, 1, {"title": "加快城际铁路建设"})
    services.set_assignments(world.task_a, world.office_a, [world.ndrc_a], [])
    fields = set(Change.objects.filter(task=world.task_a).values_list("field", flat=True))
    assert {"title", "lead", "support"} <= fields
