"""Every figure of a bulletin says what it is of, in Word, PDF and Excel, and the bulletin ends with 口径说明.

The expected numbers are worked out here from the fixture's reports, not read from `compute`, so a
wrong base in the figures fails as surely as a missing phrase in the words.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from luoshi.bulletins import docx_render, pdf_render, xlsx_render
from luoshi.bulletins.figures import compute
from luoshi.bulletins.wording import Heading, Para, bases, blocks

FIGURES = (
    "纳入监测任务",
    "进度分类",
    "完成率",
    "序时达标率",
    "平均实际进度",
    "排名",
    "报送情况",
    "红灯任务",
    "逾期未完成任务",
    "本期完成的任务",
    "未办结督办事项",
)


@pytest.fixture
def bulletin(tasks, reports, notices):
    return compute(tasks, reports, notices, "2024-03", on=date(2024, 4, 15), issuer="深中一体化办公室")


def _in_scope_latest(tasks, reports, on: date, end: date) -> dict[str, float | None]:
    """Each task begun by `end`: the percent of its latest report submitted by `on` (None without one)."""
    out = {}
    for t in tasks:
        if t.start > end:
            continue
        mine = [
            r for r in reports if r.task_id == t.id and r.submitted_at.date() <= on and r.period <= "2024-03"
        ]
        latest = max(mine, key=lambda r: (r.period, r.version), default=None)
        out[t.id] = latest.progress_percent if latest else None
    return out


def _docx_text(path: Path) -> list[str]:
    return [p.text for p in Document(str(path)).paragraphs if p.text]


def test_the_overall_figures_name_their_numerators_and_denominators(
    bulletin, tasks, reports, tmp_path
) -> None:
    latest = _in_scope_latest(tasks, reports, date(2024, 4, 15), date(2024, 3, 31))
    total = len(latest)
    done = sum(1 for v in latest.values() if v is not None and v >= 100)
    known = [v for v in latest.values() if v is not None]
    mean = round(sum(known) / len(known), 1)
    text = "\n".join(_docx_text(docx_render.render(bulletin, tmp_path / "b.docx")))
    m = re.search(r"完成率([\d.]+)%（已完成(\d+)项/纳入监测(\d+)项）", text)
    assert m and (int(m[2]), int(m[3])) == (done, total)
    assert float(m[1]) == pytest.approx(round(done * 100 / total, 1))
    m = re.search(r"有实际进度数据的(\d+)项任务平均实际进度([\d.]+)%", text)
    assert m and (int(m[1]), float(m[2])) == (len(known), mean)
    m = re.search(r"序时达标率([\d.]+)%（已完成、超进度、达进度(\d+)项/纳入监测(\d+)项）", text)
    assert m and int(m[3]) == total
    on_schedule = sum(bulletin.standing(s).count for s in ("已完成", "超进度", "达进度"))
    assert int(m[2]) == on_schedule and float(m[1]) == pytest.approx(round(on_schedule * 100 / total, 1))


def test_a_mean_over_some_tasks_says_how_many(tasks, reports, notices) -> None:
    # Only two tasks reported a figure: the mean is theirs, and the bulletin says so.
    some = [r for r in reports if r.id in ("r1", "r3")]
    b = compute(tasks, some, notices, "2024-03", on=date(2024, 4, 15))
    overall = next(x.text for x in blocks(b) if isinstance(x, Para) and x.text.startswith("纳入本期监测"))
    assert "有实际进度数据的2项任务平均实际进度67.5%" in overall
    assert "完成率14.3%（已完成1项/纳入监测7项）" in overall


def test_without_any_figure_there_is_no_mean(tasks, notices) -> None:
    b = compute(tasks, [], notices, "2024-03", on=date(2024, 4, 15))
    overall = next(x.text for x in blocks(b) if isinstance(x, Para) and x.text.startswith("纳入本期监测"))
    assert "尚无任务有实际进度数据，不计算平均实际进度" in overall
    assert "平均实际进度—" not in overall and "平均实际进度0%" not in overall


def test_each_ranking_row_is_consistent_with_its_counts(bulletin, tmp_path) -> None:
    doc = Document(str(docx_render.render(bulletin, tmp_path / "b.docx")))
    for table in doc.tables[:3]:
        header = [c.text for c in table.rows[0].cells]
        assert header[8:11] == ["序时达标率", "平均进度", "有进度任务数"]
        for row in table.rows[1:]:
            cells = [c.text for c in row.cells]
            tasks_in_group = int(cells[2])
            on_schedule = sum(int(cells[header.index(s)]) for s in ("已完成", "超进度", "达进度"))
            rate = float(cells[8].rstrip("%"))
            assert rate == pytest.approx(round(on_schedule * 100 / tasks_in_group, 1))
            assert 0 <= int(cells[10]) <= tasks_in_group


def test_the_reporting_section_counts_what_was_owed(bulletin, tmp_path) -> None:
    text = _docx_text(docx_render.render(bulletin, tmp_path / "b.docx"))
    line = next(x for x in text if x.startswith("应报送进展的任务"))
    m = re.match(r"应报送进展的任务(\d+)项，按时报送(\d+)项，逾期报送(\d+)项，未报送(\d+)项", line)
    assert m and int(m[1]) == int(m[2]) + int(m[3]) + int(m[4])
    # Task 8 was finished in February, so nothing was owed for it in March.
    assert (int(m[1]), int(m[3]), int(m[4])) == (6, 1, 1)


def test_the_word_bulletin_ends_with_the_definitions(bulletin, tmp_path) -> None:
    text = _docx_text(docx_render.render(bulletin, tmp_path / "b.docx"))
    at = text.index("九、口径说明")
    tail = text[at + 1 :]
    assert [re.match(r"\d+\. ([^：]+)：", x)[1] for x in tail] == list(FIGURES)
    assert all("口径：" in x for x in tail)
    assert "3. 完成率：本期28.6%（2/7）。口径：已完成任务数÷纳入监测任务数。" in tail
    assert (
        tail[0]
        == "1. 纳入监测任务：本期7项（本期末2024年3月31日）。口径：开始日期不晚于本期末的任务；尚未开始的任务不纳入。"
    )


def test_the_definitions_are_the_last_section(bulletin) -> None:
    headings = [x.text for x in blocks(bulletin) if isinstance(x, Heading) and x.level == 1]
    assert headings[-1] == "九、口径说明"
    assert [x.name for x in bases(bulletin)] == list(FIGURES)


def test_the_pdf_states_the_bases_and_the_definitions(bulletin, tmp_path) -> None:
    try:
        pdf_render.find_cjk_font()
    except pdf_render.FontNotFound as exc:
        pytest.skip(str(exc))
    reader = PdfReader(str(pdf_render.render(bulletin, tmp_path / "b.pdf")))
    # Some pypdf releases pad CID text with NULs; lines wrap anywhere in Chinese.
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "").replace("\n", "")
    for words in (
        "完成率28.6%（已完成2项/纳入监测7项）",
        "有实际进度数据的7项任务平均实际进度52.1%",
        "九、口径说明",
    ):
        assert words in text
    assert all(name in text for name in FIGURES)


def test_the_excel_appendix_has_a_definitions_sheet_and_bases(bulletin, tmp_path) -> None:
    wb = load_workbook(xlsx_render.render(bulletin, tmp_path / "b.xlsx"))
    rows = list(wb["口径说明"].iter_rows(values_only=True))
    assert rows[0] == ("指标", "本期数值", "计算口径")
    assert [r[0] for r in rows[1:]] == list(FIGURES)
    assert all(r[2] for r in rows[1:])
    overall = {r[0]: (r[1], r[2]) for r in wb["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert overall["完成率"] == (pytest.approx(0.286), "已完成2项/纳入监测7项")
    assert overall["平均实际进度"] == (pytest.approx(0.521), "有实际进度数据的7项任务的平均值")
    assert overall["有实际进度数据任务"][0] == 7
    header = [c.value for c in wb["分牵头单位"][1]]
    base = header.index("有进度任务数")
    counts = [r[base] for r in wb["分牵头单位"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(n, int) for n in counts) and sum(counts) == 7
