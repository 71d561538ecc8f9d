"""The filtered ledger as an Excel workbook in the 台账 layout."""

from __future__ import annotations

import io
from collections.abc import Iterable

from luoshi.ledger.models import Role, Task
from luoshi.workbook_cells import put, put_row

COLUMNS = [
    ("序号", 8),
    ("方案", 24),
    ("任务", 48),
    ("牵头单位", 22),
    ("配合单位", 26),
    ("目标", 30),
    ("完成时限", 14),
    ("领域", 10),
    ("状态", 10),
    ("最新进展", 50),
]


def _header(ws, row: int, columns: list[tuple[str, int]]) -> None:
    """Bold shaded column names in ``row``, with the columns' widths."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for col, (name, width) in enumerate(columns, 1):
        c = put(ws, row, col, name)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[get_column_letter(col)].width = width


def _row(ws, row: int, values: list, alignment) -> None:
    for cell in put_row(ws, row, values):
        cell.alignment = alignment


def _finish(wb, ws, freeze: str) -> bytes:
    """The workbook's bytes, with rows above and columns left of ``freeze`` kept in view."""
    ws.freeze_panes = freeze
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ledger_workbook(tasks: Iterable[Task], title: str = "工作台账") -> bytes:
    """Bytes of an .xlsx with one row per task; ``tasks`` should prefetch assignments, targets, reports."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    put(ws, 1, 1, title).font = Font(size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    _header(ws, 2, COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, t in enumerate(tasks, 3):
        units = {Role.LEAD: [], Role.SUPPORT: []}
        for a in t.assignments.all():
            units[a.role].append(a.unit.name)
        reports = sorted(t.reports.all(), key=lambda r: (r.period, r.version))
        values = [
            t.label,
            t.plan.title,
            t.title,
            "、".join(units[Role.LEAD]),
            "、".join(units[Role.SUPPORT]),
            "；".join(x.display() for x in t.targets.all()),
            t.deadline.isoformat() if t.deadline else t.deadline_text,
            t.domain,
            t.status,
            f"{reports[-1].period}：{reports[-1].narrative}" if reports else "",
        ]
        _row(ws, row, values, wrap)
    return _finish(wb, ws, "A3")


UNIT_COLUMNS = [("城市", 12), ("单位", 30), ("别名", 40), ("上级单位", 30), ("任务数", 10)]


def units_workbook(units: Iterable) -> bytes:
    """Bytes of an .xlsx with one row per unit and its aliases; ``units`` as ``units.search_units`` gives them."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    _header(ws, 1, UNIT_COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, u in enumerate(units, 2):
        values = [
            u.city.name if u.city_id else "",
            u.name,
            "、".join(sorted(a.name for a in u.aliases.all())),
            u.parent.name if u.parent_id else "",
            getattr(u, "tasks", None),
        ]
        _row(ws, row, values, wrap)
    return _finish(wb, ws, "A2")
