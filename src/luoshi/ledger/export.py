"""The filtered ledger as an Excel workbook in the 台账 layout, which the import reads back.

The columns the text engine reads a ledger by (序号 任务 牵头单位 配合单位 目标 完成时限, see
``textplan.tables``) hold what the import would have made of the plan: the task's title alone,
every unit answering for it (inherited ones too, so filtering by unit finds every task), targets
in the plan's own words, and the deadline as a date phrase the engine reads (2024年6月30日前).
The other columns say how the work stands (所属领域 状态 亮灯 序时进度 最近报送 最新进展) and
carry names the engine keeps out of a task's text, so re-importing an export gives the same ledger.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping

from luoshi.ledger.models import Role, Task
from luoshi.supervision.lights import COLOURS, Light
from luoshi.workbook_cells import put, put_row

COLUMNS = [
    ("序号", 8),
    ("方案", 24),
    ("任务", 48),
    ("牵头单位", 22),
    ("配合单位", 26),
    ("目标", 30),
    ("完成时限", 16),
    ("所属领域", 10),
    ("状态", 10),
    ("亮灯", 8),
    ("序时进度", 10),
    ("最近报送", 12),
    ("最新进展", 50),
]
PERCENT = "0%"
DATE = "yyyy-mm-dd"


def _header(ws, row: int, columns: list[tuple[str, int]]) -> None:
    """Bold shaded column names in ``row``, with the columns' widths."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for col, (name, width) in enumerate(columns, 1):
        c = put(ws, row, col, name)
        c.font = Font(bold=True)
        c.fill = PatternFill("solid", fgColor="D9E1F2")
        ws.column_dimensions[get_column_letter(col)].width = width


def _row(ws, row: int, values: list, alignment) -> list:
    cells = put_row(ws, row, values)
    for cell in cells:
        cell.alignment = alignment
    return cells


def _finish(wb, ws, freeze: str) -> bytes:
    """The workbook's bytes, with rows above and columns left of ``freeze`` kept in view."""
    ws.freeze_panes = freeze
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def target_clauses(task: Task) -> str:
    """The targets in the plan's own words (新增停车位6000个以上), each clause once: what the engine
    read them from, so it reads the same targets back. A clause already in the title is left out,
    as the title is read too."""
    clauses: list[str] = []
    for target in task.targets.all():
        clause = target.text or target.display()
        if clause not in clauses and clause not in task.title:
            clauses.append(clause)
    return "；".join(clauses)


def deadline_phrase(task: Task) -> str:
    """The deadline as the engine reads it back (2024年6月30日前), else the plan's own words."""
    d = task.deadline
    return f"{d.year}年{d.month}月{d.day}日前" if d else task.deadline_text


def ledger_workbook(tasks: Iterable[Task], lights: Mapping[int, Light] | None = None) -> bytes:
    """Bytes of an .xlsx with one row per task, filterable by every column; ``tasks`` should
    prefetch assignments (with units), targets and reports, and ``lights`` holds the leaf tasks'
    lights by task id. Titled by the plan when the tasks are all of one."""
    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    tasks = list(tasks)
    lights = lights or {}
    plans = {t.plan.title for t in tasks}
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    put(ws, 1, 1, plans.pop() if len(plans) == 1 else "工作台账").font = Font(size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    _header(ws, 2, COLUMNS)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, t in enumerate(tasks, 3):
        units = {Role.LEAD: [], Role.SUPPORT: []}
        for a in t.assignments.all():
            units[a.role].append(a.unit.name)
        reports = sorted(t.reports.all(), key=lambda r: (r.period, r.version))
        last = max((r.submitted_at for r in reports), default=None)
        light = lights.get(t.pk)
        expected = light.expected if light is not None else None
        values = [
            t.label,
            t.plan.title,
            t.title,
            "、".join(units[Role.LEAD]),
            "、".join(units[Role.SUPPORT]),
            target_clauses(t),
            deadline_phrase(t),
            t.domain,
            t.status,
            COLOURS[light.colour] if light is not None else None,
            None if expected is None else expected / 100,
            timezone.localdate(last) if last else None,
            f"{reports[-1].period}：{reports[-1].narrative}" if reports else "",
        ]
        cells = _row(ws, row, values, wrap)
        cells[10].number_format = PERCENT
        cells[11].number_format = DATE
    last_row = max(2, len(tasks) + 2)
    ws.auto_filter.ref = f"A2:{get_column_letter(len(COLUMNS))}{last_row}"
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
