"""The bulletin's Excel appendix: one sheet per table, with the task and report ids behind each row."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from luoshi.bulletins.figures import Bulletin, GroupFigures
from luoshi.bulletins.wording import GROUP_HEADER, group_row, percent
from luoshi.supervision.lights import COLOURS, TIMELINESS
from luoshi.supervision.periods import chinese_date
from luoshi.supervision.stable_zip import restamp
from luoshi.textplan.controls import strip_controls

SHEETS = ("总体情况", "分领域", "分城市", "分牵头单位", "红灯任务", "未按时报送")
_HEAD_FONT = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDDDDD")


def render(bulletin: Bulletin, path: str | Path) -> Path:
    """Write the appendix to `path` as .xlsx and return the path."""
    b = bulletin
    wb = Workbook()
    wb.remove(wb.active)
    overall = [
        ("标题", b.title),
        ("期间", b.period_label),
        ("通报类型", b.kind_label),
        ("通报日期", chinese_date(b.on)),
        ("报送截止日", chinese_date(b.due)),
        ("任务总数", b.total_tasks),
        *((s.standing, s.count) for s in b.standings),
        ("完成率", percent(b.completion_rate)),
        ("平均实际进度", percent(b.mean_progress)),
        ("红灯任务", len(b.red_tasks)),
        ("逾期未完成任务", len(b.overdue_tasks)),
        ("未办结督办事项", len(b.notices_outstanding)),
    ]
    _sheet(wb.create_sheet("总体情况"), ("项目", "数值"), overall)
    _sheet(wb.create_sheet("分领域"), *_groups(b.by_domain, "领域"))
    _sheet(wb.create_sheet("分城市"), *_groups(b.by_city, "城市"))
    _sheet(wb.create_sheet("分牵头单位"), *_groups(b.by_lead_unit, "牵头单位"))
    red = [
        (
            t.task_id,
            t.label_path,
            t.title,
            t.lead_unit,
            t.city,
            t.domain,
            chinese_date(t.deadline) if t.deadline else "",
            COLOURS[t.colour],
            t.standing,
            t.reason,
            _ids(t.report_ids),
        )
        for t in b.red_tasks
    ]
    header = (
        "任务编号",
        "序号",
        "任务",
        "牵头单位",
        "城市",
        "领域",
        "完成期限",
        "亮灯",
        "进度",
        "原因",
        "报送编号",
    )
    _sheet(wb.create_sheet("红灯任务"), header, red)
    late = [
        (
            u.unit,
            TIMELINESS[u.status],
            len(u.task_ids),
            u.days_late or "",
            _ids(u.task_ids),
            _ids(u.report_ids),
        )
        for u in (*b.late_units, *b.missing_units)
    ]
    _sheet(
        wb.create_sheet("未按时报送"), ("单位", "情况", "任务数", "逾期天数", "任务编号", "报送编号"), late
    )
    # A fixed creation time keeps the appendix the same for the same bulletin.
    wb.properties.created = wb.properties.modified = datetime.combine(b.on, time())
    wb.properties.title = strip_controls(b.title)
    target = Path(path)
    target.write_bytes(_stable_bytes(wb, b.on))
    return target


def _stable_bytes(wb: Workbook, on: date) -> bytes:
    """The workbook as .xlsx bytes with fixed property and zip timestamps, so equal content gives equal bytes."""
    raw = io.BytesIO()
    # Workbook.save() stamps "modified" with the clock; the writer it calls does not.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return restamp(raw.getvalue(), on)


def _groups(groups: tuple[GroupFigures, ...], name: str) -> tuple[tuple[str, ...], list[tuple]]:
    """Header and rows of a ranking sheet, numbers as numbers, ids at the end."""
    header = (*(h.format(name=name) for h in GROUP_HEADER), "任务编号", "报送编号")
    rows = []
    for g in groups:
        shown = list(group_row(g))
        # Counts and rank as numbers so the sheet can be sorted and summed.
        shown[0], shown[2] = g.rank, g.tasks
        shown[3:8] = [c.count for c in g.counts]
        rows.append((*shown, _ids(g.task_ids), _ids(g.report_ids)))
    return header, rows


def _sheet(ws: Worksheet, header: tuple[str, ...], rows: list[tuple]) -> None:
    """Fill a sheet: bold shaded header, frozen, columns sized to their text."""
    ws.append(list(header))
    for cell in ws[1]:
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        # Names and titles come from the database; a control character in one would make openpyxl refuse the sheet.
        ws.append([strip_controls(v) if isinstance(v, str) else v for v in row])
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        longest = max([len(str(name))] + [len(str(r[i - 1])) for r in rows])
        # CJK characters are about two columns wide.
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest * 2 + 2))


def _ids(ids: tuple[str, ...]) -> str:
    """Ids joined for a cell."""
    return ",".join(ids)
