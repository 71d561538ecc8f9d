"""A bulletin is dated the day it is made, judges only what was due by then, and agrees with the lights.

The 2026 plan (issued 1 October, monthly by the 10th) on 2026-12-05, while December is under way:
the rail task reported October and November, the park task reported October late, the road task
reported nothing and was sent a notice on 3 December whose reply is due on the 10th.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from luoshi.ledger import services as ledger
from luoshi.ledger.models import Task
from luoshi.supervision_web import bulletins, services
from luoshi.supervision_web.models import Bulletin
from tests.web.world import SAMPLE_2026, import_plan

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 12, 5)


def submit(task: Task, user, period: str, day: dt.date) -> None:
    moment = dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC)
    ledger.submit_report(task, user, period=period, status="推进中", narrative="推进", now=moment)


@pytest.fixture
def plan(world, office_day):
    office_day(DAY)
    plan = import_plan(world.office_a, world.city_a, text=SAMPLE_2026)
    plan.date = dt.date(2026, 10, 1)
    plan.save()
    rail, road, park = (Task.objects.get(plan=plan, label=x) for x in ("（一）", "（二）", "（三）"))
    submit(rail, world.reporter_a, "2026-10", dt.date(2026, 11, 6))
    submit(rail, world.reporter_a, "2026-11", dt.date(2026, 12, 4))
    commerce = park.assignments.get(role="lead").unit
    ledger.submit_report(
        park,
        None,
        period="2026-10",
        status="推进中",
        narrative="招商",
        as_unit=commerce,
        now=dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC),
    )
    (notice,) = services.issue_notices(plan, [road.pk], world.office_a, dt.date(2026, 12, 3))
    assert notice.reply_due == dt.date(2026, 12, 10)
    return plan


def number(html: str, label: str) -> int:
    """The figure shown beside `label` in a page's stats bar."""
    return int(re.search(rf"{label}<b[^>]*>(\d+)</b>", html)[1])


def test_the_bulletin_page_made_mid_period_is_dated_today_and_agrees_with_the_lights(world, plan, login):
    office = login(world.office_a)
    page = office.get(f"/plans/{plan.pk}/bulletin/?period=2026-12")
    body = page.content.decode()
    assert page.status_code == 200, body[-1500:]
    assert "通报日期：2026年12月5日" in body and "2027年1月12日" not in body
    lights = office.get(f"/plans/{plan.pk}/lights/").content.decode()
    assert number(body, "红灯") == number(lights, "红灯") == 1


def test_the_bulletin_judges_what_was_due_that_day_as_the_lights_do(world, plan):
    fig = bulletins.figures(plan, "2026-12", DAY)
    lights = {str(r.task_id): r.light for r in services.plan_lights(plan, DAY)}
    assert [(t.task_id, t.reason) for t in fig.red_tasks] == [
        (i, light.reason) for i, light in lights.items() if light.colour == "red"
    ]
    assert [t.reason for t in fig.red_tasks] == ["2026年10月进展应于2026年11月10日前报送，逾期未报送"]
    assert [u.unit for u in fig.missing_units] == ["市发展改革局"]
    assert [u.unit for u in fig.late_units] == ["市商务局"]
    assert [(n.reply_due, n.reply_overdue) for n in fig.notices_outstanding] == [
        (dt.date(2026, 12, 10), False)
    ]


def test_every_file_of_a_bulletin_made_mid_period_is_dated_the_day_it_is_made(world, plan, login):
    office = login(world.office_a)
    office.post(
        f"/plans/{plan.pk}/bulletin/produce/", {"period": "2026-12", "format": ["docx", "xlsx", "pdf"]}
    )
    row = Bulletin.objects.get(plan=plan)
    assert row.on == DAY

    word = Document(io.BytesIO(office.get(f"/bulletins/{row.pk}/docx/").content))
    text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        c.text for t in word.tables for r in t.rows for c in r.cells
    )
    assert "2026年12月5日" in word.paragraphs[1].text
    assert word.core_properties.created.date() == DAY
    assert "2027年1月11日前报送，逾期未报送" not in text and "2027年1月12日" not in text
    assert "未办结督办事项1件，其中逾期未回复0件。" in text

    sheets = load_workbook(io.BytesIO(office.get(f"/bulletins/{row.pk}/xlsx/").content))
    overall = {r[0]: r[1] for r in sheets["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert overall["通报日期"] == "2026年12月5日" and overall["红灯任务"] == 1
    assert sheets.properties.created.date() == DAY

    pdf = office.get(f"/bulletins/{row.pk}/pdf/")
    if pdf.status_code == 404:
        pytest.skip("no CJK font installed: the PDF was not produced")
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf.content))
    assert reader.metadata.creation_date.date() == DAY
    assert "2026年12月5日" in reader.pages[0].extract_text().replace("\x00", "")  # pypdf pads with NULs


def test_a_period_nobody_reported_gives_a_bulletin_naming_the_units_that_did_not(world, login, office_day):
    office_day(dt.date(2024, 4, 15))
    fig = bulletins.figures(world.plan_a, "2024-03", dt.date(2024, 4, 15))
    assert fig.standing("未报送").count == fig.total_tasks == 4
    assert [u.unit for u in fig.missing_units] == ["市交通运输局", "市发展改革局", "市工业和信息化局"]
    page = login(world.office_a).get(f"/plans/{world.plan_a.pk}/bulletin/?period=2024-03")
    assert page.status_code == 200
    assert "市交通运输局（1项任务）" in page.content.decode()
