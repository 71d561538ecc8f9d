"""The bulletin in Word, PDF and Excel says what the figures say."""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook
from pypdf import PdfReader

from luoshi.bulletins import docx_render, pdf_render, xlsx_render
from luoshi.bulletins.figures import compute
from luoshi.supervision.reporting_calendar import Cadence


@pytest.fixture
def bulletin(tasks, reports, notices):
    previous = compute(tasks, reports, notices, "2024-02", on=date(2024, 3, 15))
    return compute(
        tasks, reports, notices, "2024-03", on=date(2024, 4, 15), previous=previous, issuer="深中一体化办公室"
    )


@pytest.fixture
def quarterly(tasks, reports, notices):
    return compute(
        tasks, reports, notices, "2024-Q1", cadence=Cadence("quarter", 20), issuer="深中一体化办公室"
    )


def _docx_lines(path: Path) -> list[str]:
    doc = Document(str(path))
    return [p.text for p in doc.paragraphs if p.text]


def test_word_bulletin_has_title_issuing_line_and_sections(bulletin, tmp_path: Path) -> None:
    lines = _docx_lines(docx_render.render(bulletin, tmp_path / "b.docx"))
    assert lines[:2] == ["2024年3月重点任务推进情况通报", "深中一体化办公室　2024年4月15日"]
    for heading in ("一、总体情况", "四、牵头单位推进情况", "（二）未报送的单位", "八、督办事项办理情况"):
        assert heading in lines
    assert any(
        "共7项。其中，已完成2项，超进度1项，达进度1项，欠进度2项，未报送1项；完成率28.6%" in line
        for line in lines
    )
    assert "中山市工业和信息化局（1项任务，最多逾期2天）。" in lines


def test_word_rankings_are_tables(bulletin, tmp_path: Path) -> None:
    doc = Document(str(docx_render.render(bulletin, tmp_path / "b.docx")))
    units = doc.tables[2]
    assert [c.text for c in units.rows[0].cells][:3] == ["排名", "牵头单位", "任务数"]
    assert [c.text for c in units.rows[2].cells][:2] == ["2", "深圳市交通运输局"]
    assert units.rows[2].cells[-1].text == "上升4位"
    assert units.rows[5].cells[-1].text == "下降3位"


# paragraph text ⇥ East-Asian font ⇥ size in points
FONTS = """
2024年3月重点任务推进情况通报	方正小标宋简体	22
一、总体情况	黑体	16
（一）逾期报送的单位	楷体_GB2312	16
深中一体化办公室　2024年4月15日	仿宋_GB2312	16
"""


@pytest.mark.parametrize(("text", "font", "size"), [line.split("\t") for line in FONTS.strip().splitlines()])
def test_word_fonts_follow_the_official_layout(
    bulletin, tmp_path: Path, text: str, font: str, size: str
) -> None:
    doc = Document(str(docx_render.render(bulletin, tmp_path / "b.docx")))
    run = next(p.runs[0] for p in doc.paragraphs if p.text == text)
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == font
    assert run.font.size.pt == float(size)


def test_word_pages_are_numbered_and_fonts_have_alternatives(bulletin, tmp_path: Path) -> None:
    path = docx_render.render(bulletin, tmp_path / "b.docx")
    footer = Document(str(path)).sections[0].footer._element.xml
    assert "PAGE" in footer
    with zipfile.ZipFile(path) as z:
        fonts = z.read("word/fontTable.xml").decode()
    assert 'w:name="仿宋_GB2312"' in fonts and 'w:altName w:val="仿宋"' in fonts


def test_word_output_is_byte_identical_for_the_same_bulletin(bulletin, tmp_path: Path) -> None:
    a = docx_render.render(bulletin, tmp_path / "a.docx").read_bytes()
    b = docx_render.render(bulletin, tmp_path / "b.docx").read_bytes()
    assert a == b
    assert Document(str(tmp_path / "a.docx")).core_properties.modified.date() == date(2024, 4, 15)


def test_quarterly_word_names_the_quarter(quarterly, tmp_path: Path) -> None:
    lines = _docx_lines(docx_render.render(quarterly, tmp_path / "q.docx"))
    assert lines[0] == "2024年第一季度重点任务推进情况通报"


def _need_font() -> None:
    try:
        pdf_render.find_cjk_font()
    except pdf_render.FontNotFound as exc:
        pytest.skip(str(exc))


def test_pdf_text_is_real_chinese(bulletin, tmp_path: Path) -> None:
    _need_font()
    reader = PdfReader(str(pdf_render.render(bulletin, tmp_path / "b.pdf")))
    # pypdf 6.2x/7.x pads each character of fpdf2's two-byte CID text with a NUL on extraction.
    text = "".join(page.extract_text() for page in reader.pages).replace("\x00", "")
    for words in (
        "2024年3月重点任务推进情况通报",
        "深中一体化办公室",
        "深圳市工业和信息化局",
        "完成率28.6%",
        "督办〔2024〕3号",
    ):
        assert words in text


def test_pdf_embeds_its_font(bulletin, tmp_path: Path) -> None:
    _need_font()
    reader = PdfReader(str(pdf_render.render(bulletin, tmp_path / "b.pdf")))
    embedded = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                embedded.append("/FontFile2" in descriptor or "/FontFile3" in descriptor)
    assert embedded and all(embedded)


def test_pdf_of_a_quarter(quarterly, tmp_path: Path) -> None:
    _need_font()
    reader = PdfReader(str(pdf_render.render(quarterly, tmp_path / "q.pdf")))
    assert "2024年第一季度" in reader.pages[0].extract_text().replace("\x00", "")  # pypdf pads with NULs


def test_pdf_without_a_cjk_font_names_the_debian_package(bulletin, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pdf_render, "CJK_FONTS", ((tmp_path / "missing.ttc", 0),))
    with pytest.raises(pdf_render.FontNotFound, match="fonts-wqy-zenhei"):
        pdf_render.render(bulletin, tmp_path / "b.pdf")


def test_excel_appendix_has_its_sheets_and_figures(bulletin, tmp_path: Path) -> None:
    wb = load_workbook(xlsx_render.render(bulletin, tmp_path / "b.xlsx"))
    assert wb.sheetnames == ["总体情况", "分领域", "分城市", "分牵头单位", "红灯任务", "未按时报送", "口径说明"]
    overall = {row[0]: row[1] for row in wb["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert (overall["期间"], overall["任务总数"], overall["未报送"]) == ("2024年3月", 7, 1)
    units = list(wb["分牵头单位"].iter_rows(min_row=2, values_only=True))
    assert units[0][:3] == (1, "深圳市工业和信息化局", 2)
    red = list(wb["红灯任务"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[2]) for r in red] == [("三、（一）1.", "深圳市教育局"), ("三、（一）2.", "中山市教育局")]
    late = list(wb["未按时报送"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1]) for r in late] == [("中山市工业和信息化局", "逾期报送"), ("深圳市教育局", "未报送")]


def test_excel_appendix_rates_are_numbers_shown_as_percentages(bulletin, tmp_path: Path) -> None:
    wb = load_workbook(xlsx_render.render(bulletin, tmp_path / "b.xlsx"))
    rate = next(row[1] for row in wb["总体情况"].iter_rows(min_row=2) if row[0].value == "完成率")
    assert (rate.value, rate.number_format) == (pytest.approx(0.286), "0.0%")
    header = [c.value for c in wb["分牵头单位"][1]]
    on_schedule = wb["分牵头单位"].cell(2, header.index("序时达标率") + 1)
    assert isinstance(on_schedule.value, int | float) and on_schedule.number_format.endswith("%")


def test_excel_appendix_carries_no_database_ids(bulletin, tmp_path: Path) -> None:
    wb = load_workbook(xlsx_render.render(bulletin, tmp_path / "b.xlsx"))
    headers = {c.value for ws in wb.worksheets for c in ws[1]}
    assert not {"任务编号", "报送编号"} & headers
    cells = {str(c.value) for ws in wb.worksheets for row in ws.iter_rows(min_row=2) for c in row}
    report_ids = {r for red in bulletin.red_tasks for r in red.report_ids} | {"r3,r8", "3,8"}
    assert not report_ids & cells


def test_excel_appendix_of_a_quarter(quarterly, tmp_path: Path) -> None:
    wb = load_workbook(xlsx_render.render(quarterly, tmp_path / "q.xlsx"))
    overall = {row[0]: row[1] for row in wb["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert (overall["期间"], overall["通报类型"]) == ("2024年第一季度", "季度")


def test_excel_appendix_without_a_rate_leaves_its_cell_empty(bulletin, tmp_path: Path) -> None:
    from dataclasses import replace

    nothing = replace(bulletin, mean_progress=None)
    wb = load_workbook(xlsx_render.render(nothing, tmp_path / "b.xlsx"))
    overall = {row[0]: row[1] for row in wb["总体情况"].iter_rows(min_row=2, values_only=True)}
    assert overall["平均实际进度"] is None
