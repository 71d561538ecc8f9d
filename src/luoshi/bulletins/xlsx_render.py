"""The bulletin's Excel appendix: one sheet per table, figures as numbers (rates with a % format)
that can be sorted and summed. No database ids: tasks are named by their 序号 and title."""

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
from luoshi.bulletins.wording import BASE_COLUMN, GROUP_HEADER, RATE_COLUMNS, bases, group_row, percent
from luoshi.supervision.lights import COLOURS, TIMELINESS
from luoshi.supervision.periods import chinese_date, parse_period
from luoshi.supervision.stable_zip import restamp
from luoshi.textplan.controls import strip_controls
from luoshi.workbook_cells import put_row

SHEETS = ("总体情况", "分领域", "分城市", "分牵头单位", "红灯任务", "未按时报送", "口径说明")
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
        ("报送情况统计期", _assessed(b)),
        ("任务总数", b.total_tasks),
        *((s.standing, s.count) for s in b.standings),
        ("完成率", _rate(b.completion_rate), f"已完成{b.completed}项/纳入监测{b.total_tasks}项"),
        ("序时达标率", _rate(b.on_schedule_rate), f"已完成、超进度、达进度{b.on_schedule}项/纳入监测{b.total_tasks}项"),
        ("平均实际进度", _rate(b.mean_progress), f"有实际进度数据的{b.progress_tasks}项任务的平均值"),
        ("有实际进度数据任务", b.progress_tasks, "平均实际进度的样本数"),
        ("应报送进展任务", b.reports_due, "报送情况统计期内应报送的任务"),
        ("按时报送", b.reports_on_time, f"应报送{b.reports_due}项中"),
        ("逾期报送", b.reports_late, f"应报送{b.reports_due}项中"),
        ("未报送任务", b.reports_missing, f"应报送{b.reports_due}项中"),
        ("红灯任务", len(b.red_tasks)),
        ("逾期未完成任务", len(b.overdue_tasks)),
        ("未办结督办事项", len(b.notices_outstanding)),
    ]
    # Every row has a 口径 cell (empty where the figure is a plain count or a label).
    overall = [(*row, "")[:3] for row in overall]
    _sheet(wb.create_sheet("总体情况"), ("项目", "数值", "口径"), overall)
    _sheet(wb.create_sheet("分领域"), *_groups(b.by_domain, "领域"))
    _sheet(wb.create_sheet("分城市"), *_groups(b.by_city, "城市"))
    _sheet(wb.create_sheet("分牵头单位"), *_groups(b.by_lead_unit, "牵头单位"))
    red = [
        (
            t.label_path,
            t.title,
            t.lead_unit,
            t.city,
            t.domain,
            chinese_date(t.deadline) if t.deadline else "",
            COLOURS[t.colour],
            t.standing,
            t.reason,
        )
        for t in b.red_tasks
    ]
    header = (
        "序号",
        "任务",
        "牵头单位",
        "城市",
        "领域",
        "完成期限",
        "亮灯",
        "进度",
        "原因",
    )
    _sheet(wb.create_sheet("红灯任务"), header, red)
    late = [
        (
            u.unit,
            TIMELINESS[u.status],
            len(u.task_ids),
            u.days_late or None,
        )
        for u in (*b.late_units, *b.missing_units)
    ]
    _sheet(wb.create_sheet("未按时报送"), ("单位", "情况", "任务数", "逾期天数"), late)
    _sheet(
        wb.create_sheet("口径说明"),
        ("指标", "本期数值", "计算口径"),
        [(x.name, x.value, x.definition) for x in bases(b)],
    )
    # A fixed creation time keeps the appendix the same for the same bulletin.
    wb.properties.created = wb.properties.modified = datetime.combine(b.on, time())
    wb.properties.title = strip_controls(b.title)
    target = Path(path)
    target.write_bytes(_stable_bytes(wb, b.on))
    return target


def _assessed(b: Bulletin) -> str:
    """The period whose reports the late and missing lists count, with its due date, or —."""
    if not b.assessed_period or b.assessed_due is None:
        return "—"
    return f"{parse_period(b.assessed_period).label}（应于{chinese_date(b.assessed_due)}前报送）"


def _stable_bytes(wb: Workbook, on: date) -> bytes:
    """The workbook as .xlsx bytes with fixed property and zip timestamps, so equal content gives equal bytes."""
    raw = io.BytesIO()
    # Workbook.save() stamps "modified" with the clock; the writer it calls does not.
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return restamp(raw.getvalue(), on)


class Rate(float):
    """A percentage (28.6 for 28.6%), written as the number 0.286 with a % format."""


def _groups(groups: tuple[GroupFigures, ...], name: str) -> tuple[tuple[str, ...], list[tuple]]:
    """Header and rows of a ranking sheet, numbers and rates as numbers."""
    header = tuple(h.format(name=name) for h in GROUP_HEADER)
    rows = []
    for g in groups:
        shown: list = list(group_row(g))
        # Counts, rank and rates as numbers so the sheet can be sorted and summed.
        shown[0], shown[2] = g.rank, g.tasks
        shown[3:8] = [c.count for c in g.counts]
        first, last = RATE_COLUMNS
        shown[first : last + 1] = [_rate(g.on_schedule_rate), _rate(g.mean_progress)]
        shown[BASE_COLUMN] = g.progress_tasks
        rows.append(tuple(shown))
    return header, rows


def _rate(value: float | None) -> Rate | None:
    return None if value is None else Rate(value)


def _sheet(ws: Worksheet, header: tuple[str, ...], rows: list[tuple]) -> None:
    """Fill a sheet: bold shaded header, frozen, columns sized to their text."""
    for cell in put_row(ws, 1, header):
        cell.font, cell.fill = _HEAD_FONT, _HEAD_FILL
        cell.alignment = Alignment(horizontal="center")
    for n, row in enumerate(rows, 2):
        for cell, value in zip(put_row(ws, n, [_cell_value(v) for v in row]), row, strict=True):
            if isinstance(value, Rate):
                cell.number_format = "0%" if float(value).is_integer() else "0.0%"
    ws.freeze_panes = "A2"
    for i, name in enumerate(header, start=1):
        longest = max([len(str(name))] + [len(_shown(r[i - 1])) for r in rows])
        # CJK characters are about two columns wide.
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest * 2 + 2))


def _cell_value(value):
    """What a cell stores: a rate as a fraction (28.6 → 0.286)."""
    return float(value) / 100 if isinstance(value, Rate) else value


def _shown(value) -> str:
    """The text a cell shows, for its column's width."""
    if value is None:
        return ""
    return percent(value) if isinstance(value, Rate) else str(value)
