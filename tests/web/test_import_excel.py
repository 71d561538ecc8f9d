"""Importing an Excel ledger: every bad row listed with its row and column, and nothing imported
until the whole sheet is right."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from luoshi.ledger import importing
from luoshi.ledger.models import Change, ImportSession, Plan, Task, TaskAssignment

pytestmark = pytest.mark.django_db

HEADER = ["序号", "任务", "牵头单位", "配合单位", "目标", "完成时限", "状态"]
GOOD = [
    ["1", "建设城际铁路", "市交通运输局", "市发展改革局", "建成50公里", "2024年底前", "推进中"],
    ["3", "新开跨市公交线路", "市交通运输局", "", "", dt.date(2024, 6, 30), ""],
    ["5", "建设合作园区", "市商务局", "", "", "6月底前", "未启动"],
]
BAD_DEADLINE = ["2", "举办招商活动", "市商务局", "", "", "下周左右", ""]
BAD_TITLE_AND_STATUS = ["4", "", "市商务局", "", "", "2024年底前", "进行中"]
# Sheet rows 2..6: good, bad (row 3), good, bad (row 5), good.
WITH_ERRORS = [GOOD[0], BAD_DEADLINE, GOOD[1], BAD_TITLE_AND_STATUS, GOOD[2]]
CORRECTED = [
    GOOD[0],
    ["2", "举办招商活动", "市商务局", "", "", "2024年9月底前", ""],
    GOOD[1],
    ["4", "编制产业协同规划", "市商务局", "", "", "2024年底前", "推进中"],
    GOOD[2],
]


def ledger_xlsx(rows, header=HEADER, extra_sheets=()) -> SimpleUploadedFile:
    """A real workbook, as an office would save it from Excel."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(header)
    for r in rows:
        ws.append(r)
    for title, sheet_rows in extra_sheets:
        extra = wb.create_sheet(title)
        for r in sheet_rows:
            extra.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("台账.xlsx", buf.getvalue())


def ledger_counts() -> tuple[int, int, int, int]:
    return (
        Plan.objects.count(),
        Task.objects.count(),
        TaskAssignment.objects.count(),
        Change.objects.count(),
    )


def test_it_lists_every_problem_with_its_row_column_and_reason(world):
    session = importing.start_import(ledger_xlsx(WITH_ERRORS), world.office_a)
    assert session.kind == "excel"
    found = {(e["row"], e["column"], e["cell"]): e["message"] for e in session.row_errors}
    assert set(found) == {(3, "完成时限", "F3"), (5, "任务", "B5"), (5, "状态", "G5")}
    assert "无法识别的完成时限「下周左右」" in found[(3, "完成时限", "F3")]
    assert found[(5, "任务", "B5")] == "缺少任务名称"
    assert "未知的状态「进行中」" in found[(5, "状态", "G5")]
    assert {e["sheet"] for e in session.row_errors} == {"台账"}


def test_review_page_lists_the_errors_and_offers_no_commit(world, client):
    session = importing.start_import(ledger_xlsx(WITH_ERRORS), world.office_a)
    client.force_login(world.office_a)
    body = client.get(f"/import/{session.pk}/").content.decode()
    assert "第3行" in body and "第5行" in body
    assert "无法识别的完成时限「下周左右」" in body and "缺少任务名称" in body and "未知的状态「进行中」" in body
    assert 'name="commit"' not in body
    assert 'name="abandon"' in body


def test_posting_commit_anyway_is_refused_and_writes_nothing(world, client):
    session = importing.start_import(ledger_xlsx(WITH_ERRORS), world.office_a)
    before = ledger_counts()
    client.force_login(world.office_a)
    response = client.post(f"/import/{session.pk}/", {"commit": "1", "city": world.city_a.pk})
    assert response.status_code == 400
    assert "未导入任何内容" in response.content.decode()
    assert ledger_counts() == before
    session.refresh_from_db()
    assert session.state == ImportSession.State.OPEN
    with pytest.raises(importing.ImportFailed, match="表格中有错误"):
        importing.commit_import(session, world.office_a, city=world.city_a)
    assert ledger_counts() == before


def test_a_revision_with_bad_rows_leaves_the_plan_as_it_was(world):
    session = importing.start_import(ledger_xlsx(WITH_ERRORS), world.office_a, target=world.plan_a)
    before = ledger_counts()
    with pytest.raises(importing.ImportFailed):
        importing.commit_import(session, world.office_a)
    assert ledger_counts() == before
    assert Task.objects.current().filter(plan=world.plan_a).count() == 7


def test_the_corrected_file_commits(world, client):
    session = importing.start_import(ledger_xlsx(CORRECTED), world.office_a)
    assert session.row_errors == []
    client.force_login(world.office_a)
    assert 'name="commit"' in client.get(f"/import/{session.pk}/").content.decode()
    response = client.post(f"/import/{session.pk}/", {"commit": "1", "city": world.city_a.pk})
    assert response.status_code == 302
    plan = ImportSession.objects.get(pk=session.pk).plan
    titles = set(plan.tasks.values_list("title", flat=True))
    assert {"建设城际铁路", "举办招商活动", "编制产业协同规划", "建设合作园区"} <= titles
    assert TaskAssignment.objects.filter(task__plan=plan, unit__name="市商务局").exists()


def test_a_sheet_bad_throughout_lists_the_first_500_and_says_how_many_more(world):
    rows = [GOOD[0], *([str(i), "", "市商务局"] for i in range(2, 602))]
    session = importing.start_import(ledger_xlsx(rows), world.office_a)
    assert len(session.row_errors) == 501
    assert session.row_errors[-1]["message"] == "另有 100 处错误未列出"


def test_section_rows_and_a_notes_sheet_are_not_errors(world):
    rows = [["一、交通互联"], GOOD[0], GOOD[1], ["二", "产业协同"], GOOD[2]]
    notes = ("说明", [["本表由市发展改革局汇总"], ["每月5日前报送"]])
    session = importing.start_import(ledger_xlsx(rows, extra_sheets=[notes]), world.office_a)
    assert session.row_errors == []


def test_a_plan_written_out_in_cells_is_read_as_prose_without_row_checks(world):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["一、推进交通互联"])
    wb.active.append(["（一）建设城际铁路。（牵头单位：市交通运输局）"])
    buf = io.BytesIO()
    wb.save(buf)
    session = importing.start_import(SimpleUploadedFile("方案.xlsx", buf.getvalue()), world.office_a)
    assert session.row_errors == []
    plan = importing.commit_import(session, world.office_a, city=world.city_a)
    assert plan.tasks.filter(title="建设城际铁路").exists()
