"""A table written as the files an office keeps it in (Word, Excel, a web page), and what a user
imports of a plan read from any of them, to compare one form with another."""

from __future__ import annotations

import html
import re
from pathlib import Path

import docx
import openpyxl

# A web page's text runs on where its source breaks a line, so a space a copied PDF left between
# two characters (工作机 制) is gone from the web form only.
CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff]) (?=[\u3400-\u9fff])")


def write_docx(path: Path, rows: list[list[str]], before: tuple[str, ...] = ()) -> Path:
    """A Word table; equal neighbouring cells down a column are merged as Word merges them."""
    d = docx.Document()
    for line in before:
        d.add_paragraph(line)
    table = d.add_table(rows=len(rows), cols=len(rows[0]))
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            table.cell(i, j).text = value
    for j in range(len(rows[0])):
        for i in range(len(rows) - 1, 1, -1):
            if rows[i][j] and rows[i][j] == rows[i - 1][j] and j == 0:
                merged = table.cell(i - 1, j).merge(table.cell(i, j))
                merged.text = rows[i][j]
    d.save(path)
    return path


def write_xlsx(path: Path, rows: list[list[str]], before: tuple[tuple[str, ...], ...] = ()) -> Path:
    """An Excel sheet: the rows ``before`` (title, number, date) above the table's."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in before:
        ws.append(list(line))
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_html(path: Path, rows: list[list[str]], before: tuple[str, ...] = ()) -> Path:
    """A web page holding the table, a line break where a cell breaks its line."""
    cells = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
        for row in rows
    )
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in before)
    path.write_text(
        f"<html><body><div>{paragraphs}<table>{cells}</table></div></body></html>", encoding="utf-8"
    )
    return path


def shape(plan, *, join_cjk_spaces: bool = False) -> list:
    """What a user imports of each item, nested as the plan nests them; ``join_cjk_spaces``
    compares titles without a space between two Chinese characters (see ``CJK_SPACE``)."""

    def one(it):
        return (
            it.label.rstrip("、.．"),
            CJK_SPACE.sub("", it.title) if join_cjk_spaces else it.title,
            it.lead,
            it.support,
            it.deadline.text if it.deadline else None,
            [(t.value, t.unit, t.kind) for t in it.targets],
            [one(c) for c in it.children],
        )

    return [one(it) for it in plan.items]
