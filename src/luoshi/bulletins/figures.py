"""The figures of a monthly or quarterly bulletin (通报), each with the task and report ids behind it.

`compute` works in this order:

1. read the period ("2024-03", "2024-Q1", "2024-H1", "2024") and its due date under the reporting
   cadence; the bulletin is dated the day it is made, and judges the period whose due date had
   come by then: the period itself, or, for a bulletin made before its due date (mid-period),
   the last period due that day, as the lights page does;
2. keep the tasks begun by the period's end and the reports for this or earlier periods that
   had been submitted by the bulletin date (so re-running later gives the same figures);
3. assess every task (`supervision.lights.assess`): expected progress at the period's end or
   the bulletin date, whichever is earlier; deadlines and due dates at the bulletin date;
4. count standings, group by domain, city and lead unit, rank the groups and compare with the
   previous bulletin's ranks;
5. name the units that reported late or not at all, the red and overdue tasks, the tasks
   completed in the period and the notices still open.

Groups rank by the share of tasks on schedule (已完成, 超进度, 达进度), then mean actual
progress; equal scores share a rank (1, 1, 3). Every list is sorted, so equal data gives
equal figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from luoshi.supervision.facts import NoticeFacts, ReportFacts, TaskFacts, first_versions, id_key
from luoshi.supervision.lights import DEFAULT_RULES, STANDINGS, Light, LightRules, assess
from luoshi.supervision.notices import OPEN_STATES, STATES, parse_number
from luoshi.supervision.periods import Period, chinese_date, parse_period
from luoshi.supervision.reporting_calendar import (
    Cadence,
    DueDate,
    add_working_days,
    due_date,
    reporting_periods,
)

ON_SCHEDULE = ("已完成", "超进度", "达进度")
KIND_LABELS = {"month": "月度", "quarter": "季度", "half-year": "半年", "year": "年度"}


class EmptyPeriod(ValueError):
    """The period has no task and no report to report on."""


@dataclass(frozen=True)
class StandingCount:
    """How many tasks stand at 已完成 / 超进度 / 达进度 / 欠进度 / 未报送, and which."""

    standing: str
    count: int
    task_ids: tuple[str, ...]


@dataclass(frozen=True)
class GroupFigures:
    """One domain, city or lead unit: its counts, progress and rank."""

    name: str
    tasks: int
    counts: tuple[StandingCount, ...]
    on_schedule_rate: float
    mean_progress: float | None
    rank: int
    previous_rank: int | None
    task_ids: tuple[str, ...]
    report_ids: tuple[str, ...]
    # The base of mean_progress: tasks of the group with an actual progress figure.
    progress_tasks: int = 0

    @property
    def rank_change(self) -> int | None:
        """Places moved up since the previous bulletin (negative: down); None when new."""
        return None if self.previous_rank is None else self.previous_rank - self.rank

    def count(self, standing: str) -> int:
        """Tasks of this group at `standing`."""
        return next(c.count for c in self.counts if c.standing == standing)


@dataclass(frozen=True)
class UnitTimeliness:
    """A unit that reported late (with the most days late) or not at all, and for which tasks."""

    unit: str
    status: str
    task_ids: tuple[str, ...]
    report_ids: tuple[str, ...]
    days_late: int = 0


@dataclass(frozen=True)
class TaskLine:
    """A task as listed in a bulletin: where it sits, who owns it, its light and why."""

    task_id: str
    label_path: str
    title: str
    lead_unit: str
    city: str
    domain: str
    deadline: date | None
    colour: str
    rule: str
    reason: str
    standing: str
    actual: float | None
    report_ids: tuple[str, ...]


@dataclass(frozen=True)
class NoticeLine:
    """A notice not yet closed, and whether its reply is overdue."""

    number: str
    task_id: str
    title: str
    lead_unit: str
    state: str
    state_label: str
    issued: date
    reply_due: date
    reply_overdue: bool


@dataclass(frozen=True)
class Bulletin:
    """Everything a bulletin says about one period."""

    period: str
    period_label: str
    kind_label: str
    on: date
    due: date
    # The period whose reports are judged: `period` once due, else the last period due ("" for none).
    assessed_period: str
    assessed_due: date | None
    title: str
    issuer: str
    plan_titles: tuple[str, ...]
    total_tasks: int
    completed: int
    completion_rate: float
    mean_progress: float | None
    standings: tuple[StandingCount, ...]
    by_domain: tuple[GroupFigures, ...]
    by_city: tuple[GroupFigures, ...]
    by_lead_unit: tuple[GroupFigures, ...]
    late_units: tuple[UnitTimeliness, ...]
    missing_units: tuple[UnitTimeliness, ...]
    red_tasks: tuple[TaskLine, ...]
    overdue_tasks: tuple[TaskLine, ...]
    completed_in_period: tuple[TaskLine, ...]
    notices_outstanding: tuple[NoticeLine, ...]
    task_ids: tuple[str, ...]
    report_ids: tuple[str, ...]
    # The bases the figures above are computed over, so every rate can say "of what".
    on_schedule: int = 0
    on_schedule_rate: float = 0.0
    progress_tasks: int = 0
    reports_due: int = 0
    reports_on_time: int = 0
    reports_late: int = 0
    reports_missing: int = 0
    tolerance: float = DEFAULT_RULES.tolerance
    period_start: date | None = None
    period_end: date | None = None

    def standing(self, name: str) -> StandingCount:
        """The count for one standing."""
        return next(s for s in self.standings if s.standing == name)


def compute(
    tasks: Iterable[TaskFacts],
    reports: Iterable[ReportFacts],
    notices: Iterable[NoticeFacts],
    period: str | Period,
    *,
    cadence: Cadence | None = None,
    on: date | None = None,
    previous: Bulletin | None = None,
    rules: LightRules = DEFAULT_RULES,
    title: str | None = None,
    issuer: str = "",
) -> Bulletin:
    """The bulletin for `period` (malformed periods raise ValueError; empty ones EmptyPeriod).

    `cadence` defaults to the period's kind due by the 10th; `on`, the day the bulletin is made,
    defaults to the working day after the due date, when every report should be in.
    """
    p = parse_period(period)
    cadence = cadence or Cadence(p.kind, 10)
    due = due_date(cadence, p)
    on = on or add_working_days(due.due, 1)[0]
    if p.start > on:
        raise EmptyPeriod(f"{p.label}尚未开始（通报日期{chinese_date(on)}），无法生成通报")
    # Before the period's own due date nothing of it can be missing yet: judge what was due that day.
    assessed = due if due.due <= on else reporting_periods(cadence, on).last_due

    scope = sorted((t for t in tasks if t.start <= p.end), key=lambda t: id_key(t.id))
    by_task: dict[str, list[ReportFacts]] = defaultdict(list)
    for r in reports:
        if r.submitted_at.date() <= on and r.period_value.end <= p.end:
            by_task[r.task_id].append(r)
    if not scope and not any(r.period == p.code for rs in by_task.values() for r in rs):
        raise EmptyPeriod(f"{p.label}没有可统计的任务和报送数据，无法生成通报；请检查任务起止日期和报送期间")
    if assessed is not None and all(t.start > parse_period(assessed.period).end for t in scope):
        assessed = None  # due before any task began: nothing was owed for it

    lights = {
        t.id: assess(t, by_task.get(t.id, ()), on, assessed, rules, expected_on=min(p.end, on)) for t in scope
    }
    lines = {t.id: _line(t, lights[t.id]) for t in scope}
    all_reports = sorted({rid for light in lights.values() for rid in light.report_ids}, key=id_key)
    completed = sum(1 for light in lights.values() if light.standing == "已完成")
    on_schedule = sum(1 for light in lights.values() if light.standing in ON_SCHEDULE)
    progress = [light.actual for light in lights.values() if light.actual is not None]
    # Tasks owed a report for the assessed period; "pending" and "not_required" owe none.
    when = [light.timeliness for light in lights.values()]
    owed = {s: when.count(s) for s in ("on_time", "late", "missing")}

    return Bulletin(
        period=p.code,
        period_label=p.label,
        kind_label=KIND_LABELS[p.kind],
        on=on,
        due=due.due,
        assessed_period=assessed.period if assessed else "",
        assessed_due=assessed.due if assessed else None,
        title=title or f"{p.label}重点任务推进情况通报",
        issuer=issuer,
        plan_titles=tuple(sorted({t.plan_title for t in scope})),
        total_tasks=len(scope),
        completed=completed,
        completion_rate=_rate(completed, len(scope)),
        mean_progress=_mean(progress),
        standings=_standings(scope, lights),
        by_domain=_groups(scope, lights, lambda t: t.domain, previous.by_domain if previous else ()),
        by_city=_groups(scope, lights, lambda t: t.city, previous.by_city if previous else ()),
        by_lead_unit=_groups(scope, lights, lambda t: t.lead_unit, previous.by_lead_unit if previous else ()),
        late_units=_timeliness(scope, lights, by_task, assessed, "late"),
        missing_units=_timeliness(scope, lights, by_task, assessed, "missing"),
        red_tasks=tuple(lines[t.id] for t in scope if lights[t.id].colour == "red"),
        overdue_tasks=tuple(lines[t.id] for t in scope if lights[t.id].rule == "red.overdue"),
        completed_in_period=tuple(lines[t.id] for t in scope if _completed_in(by_task.get(t.id, ()), p)),
        notices_outstanding=_notices(notices, {t.id: t for t in scope}, on),
        task_ids=tuple(t.id for t in scope),
        report_ids=tuple(all_reports),
        on_schedule=on_schedule,
        on_schedule_rate=_rate(on_schedule, len(scope)),
        progress_tasks=len(progress),
        reports_due=sum(owed.values()),
        reports_on_time=owed["on_time"],
        reports_late=owed["late"],
        reports_missing=owed["missing"],
        tolerance=rules.tolerance,
        period_start=p.start,
        period_end=p.end,
    )


def _standings(scope: Sequence[TaskFacts], lights: dict[str, Light]) -> tuple[StandingCount, ...]:
    """One StandingCount per standing, in the fixed order of STANDINGS."""
    ids: dict[str, list[str]] = {s: [] for s in STANDINGS}
    for t in scope:
        ids[lights[t.id].standing].append(t.id)
    return tuple(StandingCount(s, len(ids[s]), tuple(ids[s])) for s in STANDINGS)


def _groups(
    scope: Sequence[TaskFacts],
    lights: dict[str, Light],
    key: Callable[[TaskFacts], str],
    previous: Sequence[GroupFigures],
) -> tuple[GroupFigures, ...]:
    """Figures per group, ranked, with the previous bulletin's rank of the same name."""
    members: dict[str, list[TaskFacts]] = defaultdict(list)
    for t in scope:
        members[key(t) or "未填写"].append(t)
    rows = []
    for name, ts in members.items():
        ls = [lights[t.id] for t in ts]
        on_schedule = sum(1 for light in ls if light.standing in ON_SCHEDULE)
        known = [light.actual for light in ls if light.actual is not None]
        rows.append((name, ts, _rate(on_schedule, len(ts)), _mean(known), len(known)))
    # Higher rate first, then higher mean progress, then name for a stable order.
    rows.sort(key=lambda r: (-r[2], -(r[3] if r[3] is not None else -1.0), r[0]))
    before = {g.name: g.rank for g in previous}
    out = []
    rank, last_score = 0, None
    for position, (name, ts, rate, mean, known) in enumerate(rows, start=1):
        score = (rate, mean)
        if score != last_score:
            rank, last_score = position, score
        ls = [lights[t.id] for t in ts]
        out.append(
            GroupFigures(
                name=name,
                tasks=len(ts),
                counts=_standings(ts, lights),
                on_schedule_rate=rate,
                mean_progress=mean,
                rank=rank,
                previous_rank=before.get(name),
                task_ids=tuple(t.id for t in ts),
                report_ids=tuple(sorted({rid for light in ls for rid in light.report_ids}, key=id_key)),
                progress_tasks=known,
            )
        )
    return tuple(out)


def _timeliness(
    scope: Sequence[TaskFacts],
    lights: dict[str, Light],
    by_task: dict[str, list[ReportFacts]],
    assessed: DueDate | None,
    status: str,
) -> tuple[UnitTimeliness, ...]:
    """Lead units with a task whose report for the assessed period was late (or missing), by unit name."""
    if assessed is None:
        return ()
    code, due = assessed.period, assessed.due
    firsts = first_versions(r for rs in by_task.values() for r in rs if r.period == code)
    tasks: dict[str, list[str]] = defaultdict(list)
    report_ids: dict[str, list[str]] = defaultdict(list)
    days: dict[str, int] = defaultdict(int)
    for t in scope:
        if lights[t.id].timeliness != status:
            continue
        tasks[t.lead_unit].append(t.id)
        first = firsts.get((t.id, code))
        if first is not None:
            report_ids[t.lead_unit].append(first.id)
            days[t.lead_unit] = max(days[t.lead_unit], (first.submitted_at.date() - due).days)
    return tuple(
        UnitTimeliness(
            unit, status, tuple(tasks[unit]), tuple(sorted(report_ids[unit], key=id_key)), days[unit]
        )
        for unit in sorted(tasks)
    )


def _completed_in(reports: Sequence[ReportFacts], p: Period) -> bool:
    """Whether the task was first reported 已完成 in period `p`."""
    done = [r for r in reports if r.status == "已完成" or (r.progress_percent or 0) >= 100]
    return bool(done) and min(r.period_value.end for r in done) == p.end


def _notices(notices: Iterable[NoticeFacts], tasks: dict[str, TaskFacts], on: date) -> tuple[NoticeLine, ...]:
    """Notices issued by `on` and not closed, in number order."""
    out = []
    for n in notices:
        if n.state not in OPEN_STATES or n.issued > on:
            continue
        t = tasks.get(n.task_id)
        out.append(
            NoticeLine(
                number=n.number,
                task_id=n.task_id,
                title=t.title if t else "",
                lead_unit=t.lead_unit if t else "",
                state=n.state,
                state_label=STATES[n.state],
                issued=n.issued,
                reply_due=n.reply_due,
                reply_overdue=n.reply_due < on and n.state != "replied",
            )
        )
    out.sort(key=lambda n: (parse_number(n.number) or ("", 0, 0), n.number))
    return tuple(out)


def _line(t: TaskFacts, light: Light) -> TaskLine:
    """A task and its light as a bulletin lists it."""
    return TaskLine(
        t.id,
        t.label_path,
        t.title,
        t.lead_unit,
        t.city,
        t.domain,
        t.deadline,
        light.colour,
        light.rule,
        light.reason,
        light.standing,
        light.actual,
        light.report_ids,
    )


def _rate(part: int, whole: int) -> float:
    """part / whole in percent, rounded to one decimal; 0 for an empty whole."""
    return round(part * 100.0 / whole, 1) if whole else 0.0


def _mean(values: Sequence[float]) -> float | None:
    """The mean rounded to one decimal, or None for no values."""
    return round(sum(values) / len(values), 1) if values else None
