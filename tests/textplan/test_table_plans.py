"""A plan laid out as a Word or Excel table reads into the same tree as the same plan in prose."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl

from luoshi.textplan import parse_file, parse_text

PROSE = """2024年都市圈建设工作任务分工方案
一、规划对接
1.编制都市圈国土空间规划（牵头单位：市自然资源局；配合单位：市发展改革局、市住房城乡建设局；完成时限：2024年6月底前）
2.开展重大课题研究（牵头单位：市发展改革局；完成时限：2024年底前）
二、交通互联
3.加快城际铁路建设，力争新开工线路2条以上（牵头单位：市交通运输局；配合单位：各县、区政府；完成时限：2024年底前）
"""

HEADER = ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]
ROWS = [
    ("一、规划对接", None),
    ("1", ["编制都市圈国土空间规划", "市自然资源局", "市发展改革局、市住房城乡建设局", "2024年6月底前"]),
    ("2", ["开展重大课题研究", "市发展改革局", "", "2024年底前"]),
    ("二、交通互联", None),
    ("3", ["加快城际铁路建设，力争新开工线路2条以上", "市交通运输局", "各县、区政府", "2024年底前"]),
]


def shape(plan) -> list:
    def one(it):
        return (
            it.label.rstrip("、.．"),
            it.title,
            it.lead,
            it.support,
            it.deadline.date if it.deadline else None,
            [(t.value, t.unit, t.kind) for t in it.targets],
            [one(c) for c in it.children],
        )

    return [one(it) for it in plan.items]


def write_docx(path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("2024年都市圈建设工作任务分工方案")
    table = d.add_table(rows=1 + len(ROWS), cols=len(HEADER))
    for j, h in enumerate(HEADER):
        table.cell(0, j).text = h
    for i, (label, cells) in enumerate(ROWS, start=1):
        if cells is None:
            merged = table.cell(i, 0).merge(table.cell(i, len(HEADER) - 1))
            merged.text = label
            continue
        table.cell(i, 0).text = label
        for j, value in enumerate(cells, start=1):
            table.cell(i, j).text = value
    d.save(path)


def write_xlsx(path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年都市圈建设工作任务分工方案"])
    ws.append(HEADER)
    for label, cells in ROWS:
        if cells is None:
            ws.append([label])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(HEADER))
        else:
            ws.append([label, *cells])
    wb.save(path)


def test_a_word_table_plan_reads_like_the_prose_plan(tmp_path: Path) -> None:
    path = tmp_path / "分工方案.docx"
    write_docx(path)
    assert shape(parse_file(path)) == shape(parse_text(PROSE))


def test_an_excel_ledger_reads_like_the_prose_plan(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    write_xlsx(path)
    assert shape(parse_file(path)) == shape(parse_text(PROSE))


def test_the_prose_plan_itself_is_read_fully() -> None:
    tree = shape(parse_text(PROSE))
    assert [n[0] for n in tree] == ["一", "二"]
    first = tree[0][6][0]
    assert first[1] == "编制都市圈国土空间规划"
    assert first[2] == ["市自然资源局"] and first[3] == ["市发展改革局", "市住房城乡建设局"]
    assert first[4] == "2024-06-30"
    assert tree[1][6][0][5] == [(2, "条", "target")]
