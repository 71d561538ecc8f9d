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
    """A table with a header row; ``widths`` (relative, one per column) when the renderer's
    defaults for that many columns do not fit."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None


Block = Heading | Para | Table

GROUP_HEADER = ("排名", "{name}", "任务数", *STANDINGS, "序时达标率", "平均进度", "有进度任务数", "排名变化")
# A ranking table's columns: where its rates and their bases sit (the xlsx appendix writes numbers there).
RATE_COLUMNS = (8, 9)
BASE_COLUMN = 10


@dataclass(frozen=True)
class Basis:
    """One figure of the bulletin: its name, this bulletin's value with its base, and how it is counted."""

    name: str
    value: str
    definition: str


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
        ("口径说明", _bases_section(b)),
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
        str(g.progress_tasks),
        rank_change(g),
    )


def completion_phrase(b: Bulletin) -> str:
    """完成率28.6%（已完成2项/纳入监测7项）."""
    return f"完成率{percent(b.completion_rate)}（已完成{b.completed}项/纳入监测{b.total_tasks}项）"


def on_schedule_phrase(b: Bulletin) -> str:
    """序时达标率57.1%（已完成、超进度、达进度4项/纳入监测7项）."""
    return (
        f"序时达标率{percent(b.on_schedule_rate)}"
        f"（已完成、超进度、达进度{b.on_schedule}项/纳入监测{b.total_tasks}项）"
    )


def progress_phrase(b: Bulletin) -> str:
    """The mean progress with the tasks it is the mean of, or why there is none."""
    if b.mean_progress is None or not b.progress_tasks:
        return "尚无任务有实际进度数据，不计算平均实际进度"
    return f"有实际进度数据的{b.progress_tasks}项任务平均实际进度{percent(b.mean_progress)}"


def _overall(b: Bulletin) -> list[Block]:
    """一、总体情况: every rate with its numerator and denominator."""
    counts = "，".join(f"{s.standing}{s.count}项" for s in b.standings)
    return [
        Para(
            f"纳入本期监测的重点任务共{b.total_tasks}项。其中，{counts}；"
            f"{completion_phrase(b)}；{on_schedule_phrase(b)}；{progress_phrase(b)}。"
        )
    ]


def _groups(groups: tuple[GroupFigures, ...], name: str) -> list[Block]:
    """A ranking table for domains, cities or lead units, and what its rates are of."""
    header = tuple(h.format(name=name) for h in GROUP_HEADER)
    return [
        Table(header, tuple(group_row(g) for g in groups)),
        Para(
            f"注：序时达标率=本{name}已完成、超进度、达进度任务数/本{name}任务数；"
            f"平均进度为本{name}有实际进度数据任务（见“有进度任务数”）的平均值。"
        ),
    ]


def _timeliness(b: Bulletin) -> list[Block]:
    """五、报送情况: late and missing units named."""
    late = "；".join(f"{u.unit}（{len(u.task_ids)}项任务，最多逾期{u.days_late}天）" for u in b.late_units)
    missing = "；".join(f"{u.unit}（{len(u.task_ids)}项任务）" for u in b.missing_units)
    return [
        Para(_reporting_intro(b)),
        Para(timeliness_phrase(b)),
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


def timeliness_phrase(b: Bulletin) -> str:
    """应报送进展的任务7项，按时报送4项，逾期报送1项，未报送1项（按时报送率57.1%）。"""
    if not b.reports_due:
        return "本统计期无应报送进展的任务。"
    return (
        f"应报送进展的任务{b.reports_due}项，按时报送{b.reports_on_time}项，逾期报送{b.reports_late}项，"
        f"未报送{b.reports_missing}项（按时报送率{percent(_rate(b.reports_on_time, b.reports_due))}"
        f"=按时报送{b.reports_on_time}项/应报送{b.reports_due}项）。"
    )


def _rate(part: int, whole: int) -> float:
    return round(part * 100.0 / whole, 1) if whole else 0.0


# How each figure is counted (口径), in the order the bulletin gives them. The words are fixed so
# the web page can show them in its language; this bulletin's numbers go in `Basis.value`.
DEFINITIONS = {
    "纳入监测任务": "开始日期不晚于本期末的任务；尚未开始的任务不纳入。",
    "进度分类": (
        "每项任务只计入一类：已完成；实际进度高于序时进度超过容差为超进度，低于超过容差为欠进度，其余为达进度；"
        "统计期应报未报的为未报送。序时进度按任务起止日期（或节点目标）线性计算至本期末或通报日（取早者）。"
    ),
    "完成率": "已完成任务数÷纳入监测任务数。",
    "序时达标率": "（已完成＋超进度＋达进度）任务数÷任务数；总体以纳入监测任务为分母，分组表以该组任务数为分母。",
    "平均实际进度": (
        "有实际进度数据任务的实际进度算术平均，没有数据的任务不计入分母；实际进度依次取最近一期报送的进度百分比、"
        "量化指标完成值÷目标值的平均（每项最高100%）、报送状态（已完成=100%，未启动=0%）。"
        "分组表的“有进度任务数”即该组平均进度的样本数。"
    ),
    "排名": (
        "按序时达标率从高到低，相同时按平均进度（无进度数据的排在后面）；得分相同的名次并列（1、1、3）。"
        "排名变化与上一期通报的名次比较，上期未出现的记“—”。"
    ),
    "报送情况": (
        "统计期为通报日已到报送截止日的最近一期；应报送的任务为统计期内已开始且未在此前完成的任务；"
        "按首次报送时间判断是否逾期；单位按牵头单位统计，逾期天数取其各任务中最多的。"
    ),
    "红灯任务": "按亮灯规则逐项判定为红灯的任务：已过完成期限未完成、应报未报已过截止日或实际进度严重落后序时进度。",
    "逾期未完成任务": "通报日已过完成期限仍未完成的任务（均为红灯任务）。",
    "本期完成的任务": "首次报送“已完成”（或进度达100%）的期间为本期的任务；此前已完成的不重复计入。",
    "未办结督办事项": "通报日前已签发、尚未办结的督办单；回复期限早于通报日且未回复的为逾期未回复。",
}


def bases(b: Bulletin) -> list[Basis]:
    """Every figure of the bulletin with this period's value and base, and how it is counted (口径)."""
    end = chinese_date(b.period_end) if b.period_end else b.period_label
    assessed = parse_period(b.assessed_period).label if b.assessed_period else "无"
    overdue_replies = sum(1 for n in b.notices_outstanding if n.reply_overdue)
    values = {
        "纳入监测任务": f"{b.total_tasks}项（本期末{end}）",
        "进度分类": "，".join(f"{s.standing}{s.count}项" for s in b.standings) + f"（容差{b.tolerance:g}个百分点）",
        "完成率": f"{percent(b.completion_rate)}（{b.completed}/{b.total_tasks}）",
        "序时达标率": f"{percent(b.on_schedule_rate)}（{b.on_schedule}/{b.total_tasks}）",
        "平均实际进度": f"{percent(b.mean_progress)}（n={b.progress_tasks}）",
        "排名": f"领域{len(b.by_domain)}个、城市{len(b.by_city)}个、牵头单位{len(b.by_lead_unit)}个",
        "报送情况": (
            f"统计期{assessed}，应报送{b.reports_due}项：按时{b.reports_on_time}项，"
            f"逾期{b.reports_late}项，未报送{b.reports_missing}项"
        ),
        "红灯任务": f"{len(b.red_tasks)}项（纳入监测{b.total_tasks}项）",
        "逾期未完成任务": f"{len(b.overdue_tasks)}项",
        "本期完成的任务": f"{len(b.completed_in_period)}项",
        "未办结督办事项": f"{len(b.notices_outstanding)}件（逾期未回复{overdue_replies}件）",
    }
    return [Basis(name, values[name], definition) for name, definition in DEFINITIONS.items()]


def _bases_section(b: Bulletin) -> list[Block]:
    """九、口径说明: one line per figure, with this period's value and base."""
    return [Para(f"{i}. {x.name}：本期{x.value}。口径：{x.definition}") for i, x in enumerate(bases(b), start=1)]


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
