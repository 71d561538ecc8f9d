"""Control characters typed or pasted into a form never reach the database, and Word and Excel files
are made even from data that holds some (units are shared: one office's bad name must not break
another city's bulletins)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from luoshi.ledger.models import ProgressReport, Task, Unit
from luoshi.supervision_web.models import Bulletin, SupervisionNotice
from tests.supervision_web.conftest import task

pytestmark = pytest.mark.django_db


def test_forms_drop_control_characters_before_saving(world, login):
    office = login(world.office_a)
    assert office.post("/units/new/", {"name": "市\x01数据\x1b局", "city": world.city_a.pk}).status_code == 302
    assert Unit.objects.filter(name="市数据局", city=world.city_a).exists()
    response = office.post(
        f"/tasks/{world.task_a.pk}/edit/",
        {"title": "加快\x1b[31m轨道\x01建设", "text": "第一行\n第二\x07行", "version": 1, "domain": "交通"},
    )
    assert response.status_code == 302
    edited = Task.objects.get(pk=world.task_a.pk)
    assert (edited.title, edited.text) == ("加快[31m轨道建设", "第一行\n第二行")
    reporter = login(world.reporter_a)
    reporter.post(
        f"/tasks/{world.task_a.pk}/report/", {"period": "2024-03", "status": "推进中", "narrative": "开工\x01\x1b建设"}
    )
    assert ProgressReport.objects.get().narrative == "开工建设"


def test_the_api_drops_control_characters_too(world, client):
    from tests.web.test_api import api, token_for

    body = '{"period": "2024-03", "status": "推进中", "narrative": "开工\\u0001\\u001b建设"}'
    response = api(client, token_for(world.reporter_a), "post", f"/api/tasks/{world.task_a.pk}/reports", data=body)
    assert response.status_code == 201
    assert ProgressReport.objects.get().narrative == "开工建设"


def test_bulletin_and_notice_files_download_when_names_hold_control_characters(reported, login):
    Unit.objects.filter(pk=reported.transport_a.pk).update(name="市交通\x01运输局")
    Task.objects.filter(pk=task(reported.plan_a, "（二）").pk).update(title="织密\x1b高速公路网络")
    notice = SupervisionNotice.objects.create(
        number="督〔2024〕1号", plan=reported.plan_a, task=reported.task_a, lead_unit=reported.transport_a,
        reason="逾期\x1b未报送", issued_on=dt.date(2024, 4, 15), reply_due=dt.date(2024, 4, 22),
    )
    office = login(reported.office_a)
    response = office.post(
        f"/plans/{reported.plan_a.pk}/bulletin/produce/", {"period": "2024-03", "format": ["docx", "xlsx"]}
    )
    assert response.status_code == 302
    row = Bulletin.objects.get()
    docx = office.get(f"/bulletins/{row.pk}/docx/")
    xlsx = office.get(f"/bulletins/{row.pk}/xlsx/")
    assert docx.status_code == xlsx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "\x01" not in text and "\x1b" not in text
    cells = [c.value for ws in load_workbook(io.BytesIO(xlsx.content)) for r in ws.iter_rows() for c in r]
    assert "织密高速公路网络" in cells
    word = office.get(f"/notices/{notice.pk}/notice.docx")
    assert word.status_code == 200
    assert "市交通运输局" in "\n".join(p.text for p in Document(io.BytesIO(word.content)).paragraphs)
