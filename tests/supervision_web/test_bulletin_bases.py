"""A plan's bulletin from the database states the base of every figure, on the page and in its files.

Plan A on 11 April: four tasks; （一） reported 5 of 50 km (10%), 1. reported done (100%), （二）'s
February report has no figure and 2.'s March report came on the 12th. So the mean progress is
over two tasks, not four, and every format has to say so.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from openpyxl import load_workbook

from luoshi.supervision_web import bulletins

pytestmark = pytest.mark.django_db

ON = dt.date(2024, 4, 11)


def test_the_mean_is_over_the_tasks_that_have_a_figure(reported):
    fig = bulletins.figures(reported.plan_a, "2024-03", ON)
    assert (fig.total_tasks, fig.progress_tasks, fig.mean_progress) == (4, 2, 55.0)


def test_the_word_file_states_each_base_and_ends_with_the_definitions(reported):
    _row, files = bulletins.produce(reported.plan_a, "2024-03", ["docx"], on=ON)
    lines = [p.text for p in Document(io.BytesIO(files["docx"])).paragraphs if p.text]
    text = "\n".join(lines)
    assert "完成率25%（已完成1项/纳入监测4项）" in text
    assert "有实际进度数据的2项任务平均实际进度55%" in text
    headings = [x for x in lines if x[:2] in {f"{n}、" for n in "一二三四五六七八九十"}]
    assert headings[-1] == "九、口径说明"
    assert lines[-1].startswith("11. 未办结督办事项：本期")


def test_the_excel_file_has_the_definitions_sheet(reported):
    _row, files = bulletins.produce(reported.plan_a, "2024-03", ["xlsx"], on=ON)
    wb = load_workbook(io.BytesIO(files["xlsx"]))
    assert wb.sheetnames[-1] == "口径说明"
    rows = {r[0]: r[1] for r in wb["口径说明"].iter_rows(min_row=2, values_only=True)}
    assert rows["平均实际进度"] == "55%（n=2）"
    assert rows["完成率"] == "25%（1/4）"


def test_the_page_states_the_bases_and_explains_them(reported, login, monkeypatch):
    monkeypatch.setattr("luoshi.supervision_web.services.today", lambda: ON)
    body = (
        login(reported.office_a).get(f"/plans/{reported.plan_a.pk}/bulletin/?period=2024-03").content.decode()
    )
    rates = body.split('id="bulletin-rates"')[1].split("</ul>")[0]
    assert "完成率 25.0%（已完成 1 项 / 纳入监测 4 项）" in rates
    assert "平均实际进度 55.0%（有实际进度数据的 2 项任务的平均值）" in rates
    table = body.split('id="bulletin-bases"')[1].split("</table>")[0]
    assert table.count("<tr>") == 12  # header and eleven figures
    assert "已完成任务数÷纳入监测任务数" in table and "纳入监测任务" in table


def test_the_english_page_names_the_bases_too(reported, login, monkeypatch):
    monkeypatch.setattr("luoshi.supervision_web.services.today", lambda: ON)
    body = (
        login(reported.office_a)
        .get(f"/plans/{reported.plan_a.pk}/bulletin/?period=2024-03", HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Completion rate 25.0% (1 done / 4 monitored tasks)" in body
    assert "Definitions" in body and "Done tasks ÷ monitored tasks." in body
