"""The ledger's Excel export: it re-imports as the same ledger, and says how each task stands."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from luoshi.ledger import importing
from luoshi.ledger.models import ImportSession, Plan, Task
from luoshi.supervision_web import services as supervision
from tests.supervision_web import conftest as supervision_world
from tests.web.world import SAMPLE, import_plan

pytestmark = pytest.mark.django_db

# Plan A with March reports, as the supervision tests describe it.
reported = supervision_world.reported

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PLANS = {"sample": SAMPLE} | {p.stem: p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt"))}


def ledger(plan: Plan) -> list[tuple]:
    """What a plan's ledger holds, task by task: place in the tree, title, units, targets, deadline."""
    tasks = Task.objects.current().filter(plan=plan).order_by("position")
    out = []
    for t in tasks.prefetch_related("assignments__unit", "targets"):
        units = {
            role: sorted(a.unit.name for a in t.assignments.all() if a.role == role)
            for role in ("lead", "support")
        }
        targets = [(x.metric, x.unit, x.comparator, x.value, x.low, x.high) for x in t.targets.all()]
        parent = t.parent.path if t.parent_id else None
        out.append((t.path, t.label, parent, t.title, units["lead"], units["support"], targets, t.deadline))
    return out


def export(client, plan: Plan) -> bytes:
    response = client.get("/ledger/export.xlsx", {"plan": plan.pk})
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("name", list(PLANS))
def test_an_export_re_imports_as_the_same_ledger(world, client, name):
    plan = import_plan(world.office_a, world.city_a, text=PLANS[name])
    client.force_login(world.office_a)
    data = export(client, plan)

    response = client.post("/import/", {"file": SimpleUploadedFile("台账.xlsx", data)})
    assert response.status_code == 302, response.content.decode()[:500]
    session = ImportSession.objects.latest("pk")
    assert session.row_errors == []
    assert 'name="commit"' in client.get(f"/import/{session.pk}/").content.decode()
    assert client.post(f"/import/{session.pk}/", {"commit": "1", "city": world.city_a.pk}).status_code == 302
    again = ImportSession.objects.get(pk=session.pk).plan

    assert again.title == plan.title
    assert ledger(again) == ledger(plan)


def test_section_rows_and_unassigned_tasks_are_not_row_errors(world, client):
    # The 2023 metropolitan plan names no units: its sections and tasks have none to export.
    plan = import_plan(world.office_a, world.city_a, text=PLANS["dushiquan-2023-yaodian"])
    assert not plan.tasks.filter(assignments__isnull=False).exists()
    client.force_login(world.office_a)
    session = importing.start_import(SimpleUploadedFile("台账.xlsx", export(client, plan)), world.office_a)
    assert session.row_errors == []
    review = importing.review(session, world.city_a)
    assert any("无牵头单位" in flag for r in review.rows for flag in r.flags)  # still flagged for review


def test_the_export_has_lights_expected_progress_last_report_and_a_filter(reported, client, monkeypatch):
    monkeypatch.setattr(supervision, "today", lambda: supervision_world.ON)
    client.force_login(reported.office_a)
    ws = load_workbook(io.BytesIO(export(client, reported.plan_a))).active
    header = [c.value for c in ws[2]]
    for name in ("亮灯", "序时进度", "最近报送"):
        assert name in header
    assert ws.auto_filter.ref == f"A2:{ws.cell(2, len(header)).column_letter}{ws.max_row}"
    rows = {
        ws.cell(r, 3).value: {h: ws.cell(r, c + 1) for c, h in enumerate(header)}
        for r in range(3, ws.max_row + 1)
    }

    title = {label: supervision_world.task(reported.plan_a, label).title for label in ("（一）", "（二）")}
    first = rows[title["（一）"]]  # reported 5 of 50 km on 8 April: yellow
    assert first["亮灯"].value == "黄灯"
    expected = first["序时进度"]
    assert isinstance(expected.value, float) and 0 < expected.value < 1 and expected.number_format == "0%"
    assert first["最近报送"].value.date() == dt.date(2024, 4, 8)
    assert rows[title["（二）"]]["亮灯"].value == "红灯"  # its March report is missing
    heading = rows["推进交通互联"]  # a section is lit through its items
    assert heading["亮灯"].value is None and heading["最近报送"].value is None


def test_inherited_units_are_written_on_every_task_so_a_filter_finds_them(world, client):
    client.force_login(world.office_a)
    ws = load_workbook(io.BytesIO(export(client, world.plan_a))).active
    leads = {ws.cell(r, 3).value: ws.cell(r, 4).value for r in range(3, ws.max_row + 1)}
    assert leads["建设合作园区"] == "市工业和信息化局、市商务局"  # inherited from （三）
