"""The bulletin as text: headings, paragraphs and tables, written once for every renderer.

Renderers lay these blocks out in Word or PDF; the words and the order live here only.
Task lists in the body stop at `max_rows` rows (default 50) and say how many more there are: a
bulletin is read by leaders, and the full lists are in the Excel appendix.
"""

from __future__ import annotations

from dataclasses import dataclass

from luoshi.bulletins.figures import Bulletin, GroupFigures, TaskLine
from luoshi.supervision.lights import STANDINGS
from luoshi.supervision.periods import chinese_date, parse_period

_NUMERALS = "一二三四五六七八九十"
MAX_ROWS = 50


@dataclass(frozen=True)
class Heading:
    """一、 (level 1) or （一） (level 2) heading."""

    text: str
    level: int = 1


@dataclass(frozen=True)
class Para:
    """A body paragraph."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table with a header row."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Para | Table

GROUP_HEADER = ("排名", "{name}", "任务数", *STANDINGS, "序时达标率", "平均进度", "排名变化")


def issuing_line(b: Bulletin) -> str:
    """The line under the title: issuer and date in Chinese form."""
    return f"{b.issuer}　{chinese_date(b.on)}" if b.issuer else chinese_date(b.on)


def blocks(b: Bulletin, max_rows: int = MAX_ROWS) -> list[Block]:
    """Every block of the bulletin body in order, after the title and issuing line."""
    out: list[Block] = []
    plans = "、".join(f"《{t}》" for t in b.plan_titles)
    out.append(Para(f"现将{plans}{b.period_label}重点任务推进情况通报如下。"))
    sections = [
        ("总体情况", _overall(b)),
        ("分领域推进情况", _groups(b.by_domain, "领域")),
        ("分城市推进情况", _groups(b.by_city, "城市")),
        ("牵头单位推进情况", _groups(b.by_lead_unit, "牵头单位")),
        ("报送情况", _timeliness(b)),
        ("需重点关注的任务", _attention(b, max_rows)),
        ("本期完成的任务", _completed(b)),
        ("督办事项办理情况", _notices(b)),
    ]
    for i, (name, body) in enumerate(sections):
        out.append(Heading(f"{_NUMERALS[i]}、{name}"))
        out.extend(body)
    return out


def rank_change(g: GroupFigures) -> str:
    """上升4位 / 下降3位 / 持平, or — for a group new in this bulletin."""
    change = g.rank_change
    if change is None:
        return "—"
    if change == 0:
        return "持平"
    return f"上升{change}位" if change > 0 else f"下降{-change}位"


def percent(value: float | None) -> str:
    """60% / 12.5%, or — when there is no figure."""
    if value is None:
        return "—"
    return f"{value:.0f}%" if float(value).is_integer() else f"{value:.1f}%"


def group_row(g: GroupFigures) -> tuple[str, ...]:
    """A ranking table row."""
    counts = tuple(str(g.count(s)) for s in STANDINGS)
    return (
        str(g.rank),
        g.name,
        str(g.tasks),
        *counts,
        percent(g.on_schedule_rate),
        percent(g.mean_progress),
        rank_change(g),
    )


def _overall(b: Bulletin) -> list[Block]:
    """一、总体情况."""
    counts = "，".join(f"{s.standing}{s.count}项" for s in b.standings)
    return [
        Para(
            f"纳入本期监测的重点任务共{b.total_tasks}项。其中，{counts}；"
            f"完成率{percent(b.completion_rate)}，平均实际进度{percent(b.mean_progress)}。"
        )
    ]


def _groups(groups: tuple[GroupFigures, ...], name: str) -> list[Block]:
    """A ranking table for domains, cities or lead units."""
    header = tuple(h.format(name=name) for h in GROUP_HEADER)
    return [Table(header, tuple(group_row(g) for g in groups))]


def _timeliness(b: Bulletin) -> list[Block]:
    """五、报送情况: late and missing units named."""
    late = "；".join(f"{u.unit}（{len(u.task_ids)}项任务，最多逾期{u.days_late}天）" for u in b.late_units)
    missing = "；".join(f"{u.unit}（{len(u.task_ids)}项任务）" for u in b.missing_units)
    return [
        Para(_reporting_intro(b)),
        Heading("（一）逾期报送的单位", 2),
        Para(f"{late}。" if late else "无。"),
        Heading("（二）未报送的单位", 2),
        Para(f"{missing}。" if missing else "无。"),
    ]


def _reporting_intro(b: Bulletin) -> str:
    """When the period's reports are due, and which period's reports the section counts."""
    due = f"{b.period_label}进展应于{chinese_date(b.due)}前报送"
    if b.assessed_period == b.period:
        return f"{due}。"
    pending = f"{due}，截至{chinese_date(b.on)}尚未到报送截止日"
    if not b.assessed_period or b.assessed_due is None:
        return f"{pending}。"
    label = parse_period(b.assessed_period).label
    return f"{pending}；以下为已到期的{label}进展（应于{chinese_date(b.assessed_due)}前报送）的报送情况。"


def _task_table(lines: tuple[TaskLine, ...], max_rows: int) -> list[Block]:
    """A table of tasks with their lead unit and reason, or 无。; long lists point to the appendix."""
    if not lines:
        return [Para("无。")]
    rows = tuple(
        (str(i), f"{t.label_path} {t.title}".strip(), t.lead_unit, t.reason)
        for i, t in enumerate(lines[:max_rows], start=1)
    )
    out: list[Block] = [Table(("序号", "任务", "牵头单位", "情况"), rows)]
    if len(lines) > max_rows:
        out.append(Para(f"以上列出前{max_rows}项，其余{len(lines) - max_rows}项详见Excel附表“红灯任务”。"))
    return out


def _attention(b: Bulletin, max_rows: int) -> list[Block]:
    """六、需重点关注的任务: red lights, then overdue tasks (all of them red too)."""
    return [
        Heading(f"（一）红灯任务（{len(b.red_tasks)}项）", 2),
        *_task_table(b.red_tasks, max_rows),
        Heading(f"（二）逾期未完成任务（{len(b.overdue_tasks)}项）", 2),
        *_task_table(b.overdue_tasks, max_rows),
    ]


def _completed(b: Bulletin) -> list[Block]:
    """七、本期完成的任务."""
    if not b.completed_in_period:
        return [Para("本期无新完成的任务。")]
    names = "；".join(f"{t.title}（{t.lead_unit}）" for t in b.completed_in_period)
    return [Para(f"本期新完成任务{len(b.completed_in_period)}项：{names}。")]


def _notices(b: Bulletin) -> list[Block]:
    """八、督办事项办理情况: notices still open."""
    if not b.notices_outstanding:
        return [Para("无未办结的督办事项。")]
    overdue = sum(1 for n in b.notices_outstanding if n.reply_overdue)
    rows = tuple(
        (
            n.number,
            n.title,
            n.lead_unit,
            n.state_label,
            chinese_date(n.reply_due),
            "是" if n.reply_overdue else "否",
        )
        for n in b.notices_outstanding
    )
    return [
        Para(f"未办结督办事项{len(b.notices_outstanding)}件，其中逾期未回复{overdue}件。"),
        Table(("编号", "任务", "牵头单位", "状态", "回复期限", "逾期"), rows),
    ]
