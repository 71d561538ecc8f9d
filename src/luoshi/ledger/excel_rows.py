"""Per-row checks of an Excel ledger (序号/任务/牵头单位/配合单位/目标/完成时限) before import."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

HEADERS = {
    "序号": "label",
    "任务": "title",
    "工作任务": "title",
    "重点任务": "title",
    "牵头单位": "lead",
    "责任单位": "lead",
    "配合单位": "support",
    "目标": "target",
    "完成时限": "deadline",
    "时间节点": "deadline",
}
DEADLINE = re.compile(r"(19|20)\d\d|年底|年内|月底|季度|长期|持续|常态")


def check(path: Path) -> list[str]:
    """Human-readable problems, one per bad row; an empty list when the sheet looks right."""
    from openpyxl import load_workbook

    errors: list[str] = []
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            errors += _check_sheet(ws)
    finally:
        wb.close()
    return errors[:200]


def _cell(v) -> str:
    return "" if v is None else str(v).strip()


def _check_sheet(ws) -> list[str]:
    columns: dict[str, int] = {}
    header_row = None
    for n, row in enumerate(ws.iter_rows(max_row=10, values_only=True), 1):
        found = {
            HEADERS[_cell(v).replace(" ", "")]: i
            for i, v in enumerate(row)
            if _cell(v).replace(" ", "") in HEADERS
        }
        if "title" in found:
            columns, header_row = found, n
            break
    if header_row is None:
        return [f"{ws.title}：未找到表头（序号/任务/牵头单位/配合单位/目标/完成时限）"]
    errors = []
    for n, row in enumerate(ws.iter_rows(min_row=header_row + 1, values_only=True), header_row + 1):
        values = {k: (row[i] if i < len(row) else None) for k, i in columns.items()}
        if not any(_cell(v) for v in values.values()):
            continue
        if not _cell(values.get("title")):
            errors.append(f"{ws.title} 第{n}行：缺少任务名称")
        deadline = values.get("deadline")
        is_text = deadline is not None and not isinstance(deadline, dt.date | dt.datetime)
        if is_text and _cell(deadline) and not DEADLINE.search(_cell(deadline)):
            errors.append(f"{ws.title} 第{n}行：无法识别的完成时限「{_cell(deadline)[:40]}」")
        if "lead" in columns and not _cell(values.get("lead")) and _cell(values.get("title")):
            errors.append(f"{ws.title} 第{n}行：未填写牵头单位")
    return errors
