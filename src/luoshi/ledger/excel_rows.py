"""Per-row checks of an Excel ledger (序号/任务/牵头单位/配合单位/目标/完成时限/状态) before import.

An Excel import is all or nothing: ``check`` lists every problem with its sheet, row, column and
reason, and ``importing.commit_import`` refuses a session that has any. A row without a 牵头单位 is
not a problem: it may be a section whose items name their units, an item that inherits its
section's, or a task not yet assigned (a ledger exported from luoshi has all three); the review
flags 「无牵头单位」 where no unit answers for a task, as for a document.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.utils.translation import gettext as _

from luoshi.ledger.models import Status
from luoshi.textplan.deadlines import find_deadline
from luoshi.textplan.tables import CN_ONLY, HEADING_ENUMERATED, classify_header

# The text engine's column vocabulary (textplan.tables) decides what a column is, so the check and
# the import read the same columns; 状态 is checked here only (the engine keeps it as text).
ROLES = {
    "seq": "label",
    "task": "title",
    "lead": "lead",
    "support": "support",
    "target": "target",
    "deadline": "deadline",
}
STATUS_HEADERS = ("状态", "任务状态", "进展状态", "完成状态", "当前状态")
# Open-ended deadlines the date parser rightly leaves without a date.
ONGOING = re.compile(r"(19|20)\d\d|年底|年内|月底|季度|长期|持续|常态")
HEADER_SCAN_ROWS = 10
MAX_PROBLEMS = 500


def check(path: Path) -> list[dict]:
    """Problems as ``{sheet, row, column, cell, message}`` dicts; an empty list when every row is right."""
    from openpyxl import load_workbook

    problems: list[dict] = []
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            # Hidden sheets are not imported either (textplan.readers skips them); a sheet without a
            # ledger header (说明, or a plan written out in cells) is read as prose, so has no rows to check.
            if getattr(ws, "sheet_state", "visible") == "visible":
                problems += _check_sheet(ws)
    finally:
        wb.close()
    if len(problems) > MAX_PROBLEMS:
        # Listed in full up to a page's worth; past that the file needs fixing wholesale anyway.
        rest = _("另有 %d 处错误未列出") % (len(problems) - MAX_PROBLEMS)
        note = {"sheet": "", "row": None, "column": "", "cell": "", "message": rest}
        problems = [*problems[:MAX_PROBLEMS], note]
    return problems


def _cell(v) -> str:
    return "" if v is None else str(v).strip()


def _role(header: str) -> str | None:
    key = header.replace(" ", "")
    if key in STATUS_HEADERS:
        return "status"
    return ROLES.get(classify_header(key) or "")


def _check_sheet(ws) -> list[dict]:
    """The problems of one sheet's rows below its header row."""
    from openpyxl.utils import get_column_letter

    for n, row in enumerate(ws.iter_rows(max_row=HEADER_SCAN_ROWS, values_only=True), 1):
        found = {role: (i, _cell(v)) for i, v in enumerate(row) if (role := _role(_cell(v)))}
        if "title" in found and len(found) >= 2:
            columns, header_row = found, n
            break
    else:
        return []

    def problem(n: int, role: str, message: str) -> dict:
        i, header = columns[role]
        return {
            "sheet": ws.title,
            "row": n,
            "column": header,
            "cell": f"{get_column_letter(i + 1)}{n}",
            "message": message,
        }

    problems = []
    for n, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1):
        values = {k: (row[i] if i < len(row) else None) for k, (i, _header) in columns.items()}
        text = {k: _cell(v) for k, v in values.items()}
        if _is_heading(row, text, columns["title"][0]):
            continue
        if not text.get("title"):
            problems.append(problem(n, "title", _("缺少任务名称")))
        deadline = values.get("deadline")
        if not isinstance(deadline, dt.date) and text.get("deadline") and not _is_deadline(text["deadline"]):
            message = _("无法识别的完成时限「%s」，应为日期或“2024年底前”一类的时限") % text["deadline"][:40]
            problems.append(problem(n, "deadline", message))
        if text.get("status") and text["status"] not in Status.values:
            message = _("未知的状态「%(s)s」，应为 %(all)s 之一") % {
                "s": text["status"][:20],
                "all": "、".join(Status.values),
            }
            problems.append(problem(n, "status", message))
    return problems


def _is_heading(row: tuple, text: dict[str, str], title_col: int) -> bool:
    """Empty rows and section rows, which the text engine (textplan.tables) makes headings rather
    than tasks: a lone cell outside the task column or enumerated like 一、, or 序号 一 with a
    title and no details."""
    filled = [i for i, v in enumerate(row) if _cell(v)]
    if not filled:
        return True
    if len(filled) == 1:
        return filled[0] != title_col or bool(HEADING_ENUMERATED.match(_cell(row[title_col])))
    details = ("lead", "support", "target", "deadline", "status")
    return bool(CN_ONLY.match(text.get("label", ""))) and not any(text.get(k) for k in details)


def _is_deadline(text: str) -> bool:
    # Any year will do: the question is only whether the phrase is a deadline at all.
    return bool(ONGOING.search(text) or find_deadline(text, 2000))
