"""亮灯规则 / How a task's light is set.

序时进度（expected progress）：默认按任务起止日期线性计算（起始日0%，完成期限100%）；
任务列有节点目标（如“6月底前完成30%”）时，按节点分段线性计算。没有完成期限也没有节点的任务不计算序时进度。
Expected progress is linear from the task's start (0%) to its deadline (100%), or piecewise
linear through its milestones; a task with neither has no expected progress.

实际进度（actual progress）：依次取最近一期报送的进度百分比；没有时取量化指标完成值÷目标值的平均数
（有基数时按(完成值−基数)÷(目标值−基数)，每项最高100%）；再没有时按报送状态（已完成=100%，未启动=0%）。
Actual progress is the latest report's percentage; else the mean of achieved÷goal over the
quantified targets (relative to the baseline when given, each capped at 100%); else the status
(已完成 = 100%, 未启动 = 0%).

进度分类（standing）：已完成；实际进度高于序时进度超过容差（默认5个百分点）为超进度；
低于超过容差为欠进度；其余为达进度。本期应报未报的为未报送，与“报了但落后”分开统计。
Standing: 已完成 (done); 超进度 / 欠进度 when actual is more than the tolerance (default 5
points) above / below expected; 达进度 otherwise; 未报送 when the due period has no report.

亮灯（light），按下列顺序取第一条符合的规则 / the first rule that matches, in this order:

- green.done        绿灯：任务已完成。 Done.
- red.overdue       红灯：已过完成期限仍未完成。 Deadline passed and not done.
- red.missing       红灯：本期报送已过截止日仍未报送。 The due report is missing after its due date.
- red.far_behind    红灯：实际进度落后序时进度超过30个百分点。 More than 30 points behind.
- yellow.due_soon   黄灯：距完成期限不足7天且未完成。 Deadline within 7 days, not done.
- yellow.behind     黄灯：实际进度落后序时进度超过10个百分点，或无量化进度而单位自报滞后。
                    More than 10 points behind, or self-reported 滞后 with no figure to compare.
- green.on_track    绿灯：其余情况。 Otherwise on track.

The numbers are the defaults of `LightRules`; `rules_table()` gives this list with the
parameters in force, for the web page to show. Every light carries its rule id and a reason
in Chinese, such as “序时进度60%，实际进度35%，落后25个百分点”.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from luoshi.supervision.facts import ReportFacts, TaskFacts, id_key
from luoshi.supervision.periods import chinese_date, parse_period
from luoshi.supervision.reporting_calendar import Cadence, DueDate, due_date, reporting_periods

STANDINGS = ("已完成", "超进度", "达进度", "欠进度", "未报送")
COLOURS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}
TIMELINESS = {
    "on_time": "按时报送",
    "late": "逾期报送",
    "missing": "未报送",
    "pending": "未到截止日",
    "not_required": "无需报送",
}


@dataclass(frozen=True)
class LightRules:
    """The parameters of the rules, in percentage points and days."""

    tolerance: float = 5.0
    due_soon_days: int = 7
    yellow_margin: float = 10.0
    red_margin: float = 30.0


DEFAULT_RULES = LightRules()


@dataclass(frozen=True)
class Light:
    """A task's assessment on a date: light, rule, reason, standing and the numbers behind them."""

    task_id: str
    colour: str
    rule: str
    reason: str
    standing: str
    expected: float | None
    actual: float | None
    actual_source: str
    timeliness: str
    period: str | None
    report_ids: tuple[str, ...]

    @property
    def colour_label(self) -> str:
        """红灯 / 黄灯 / 绿灯."""
        return COLOURS[self.colour]


def rules_table(rules: LightRules = DEFAULT_RULES) -> list[dict[str, str]]:
    """The light rules in the order they apply, with the parameters in force, for display."""
    r = rules
    rows = [
        ("green.done", "green", "任务已完成", "the task is done"),
        ("red.overdue", "red", "已过完成期限仍未完成", "deadline passed and not done"),
        ("red.missing", "red", "本期报送已过截止日仍未报送", "the due report is missing after its due date"),
        (
            "red.far_behind",
            "red",
            f"实际进度落后序时进度超过{_num(r.red_margin)}个百分点",
            f"more than {_num(r.red_margin)} points behind expected progress",
        ),
        (
            "yellow.due_soon",
            "yellow",
            f"距完成期限不足{r.due_soon_days}天且未完成",
            f"deadline within {r.due_soon_days} days and not done",
        ),
        (
            "yellow.behind",
            "yellow",
            f"实际进度落后序时进度超过{_num(r.yellow_margin)}个百分点，或无量化进度而单位自报滞后",
            f"more than {_num(r.yellow_margin)} points behind expected progress, or self-reported 滞后 with no figure",
        ),
        ("green.on_track", "green", "其余情况，按序时推进", "otherwise on track"),
    ]
    return [{"rule": a, "colour": b, "zh": c, "en": d} for a, b, c, d in rows]


def expected_progress(task: TaskFacts, on: date) -> float | None:
    """Percent of the task expected done by `on`: linear to the deadline, or through the milestones."""
    points = [(task.start, 0.0)] + [(d, f * 100.0) for d, f in task.milestones]
    if task.deadline and (not task.milestones or task.milestones[-1][0] < task.deadline):
        points.append((task.deadline, 100.0))
    if len(points) == 1:
        return None
    if on <= points[0][0]:
        return 0.0
    for (d0, v0), (d1, v1) in zip(points, points[1:], strict=False):
        if on <= d1:
            span = (d1 - d0).days
            return v1 if span <= 0 else v0 + (v1 - v0) * (on - d0).days / span
    return points[-1][1]


def actual_progress(task: TaskFacts, report: ReportFacts | None) -> tuple[float | None, str]:
    """Percent actually done and where it came from: "report", "targets", "indicators" (a target's
    linked statistics indicator counted), "status" or "none"."""
    if report is not None and report.progress_percent is not None:
        return _clamp(report.progress_percent), "report"
    ratios = []
    by_indicator = False
    for t in task.targets:
        achieved = t.achieved if t.measured_by else None
        if achieved is None and report is not None:
            achieved = report.achieved.get(t.metric)
        if achieved is None:
            achieved = t.achieved
        ratio = _target_ratio(t.goal, t.baseline, achieved)
        if ratio is not None:
            ratios.append(ratio)
            by_indicator = by_indicator or (bool(t.measured_by) and t.achieved is not None)
    if ratios:
        return sum(ratios) / len(ratios) * 100.0, "indicators" if by_indicator else "targets"
    if report is not None and report.status in ("已完成", "未启动"):
        return (100.0 if report.status == "已完成" else 0.0), "status"
    return None, "none"


def classify(
    expected: float | None,
    actual: float | None,
    report: ReportFacts | None,
    *,
    done: bool,
    tolerance: float = DEFAULT_RULES.tolerance,
) -> str:
    """已完成 / 超进度 / 达进度 / 欠进度 / 未报送 from the numbers and the period's report."""
    if done:
        return "已完成"
    if report is None:
        return "未报送"
    if expected is None or actual is None:
        # Nothing to measure against: the unit's own word decides.
        return "欠进度" if report.status == "滞后" else "达进度"
    if actual - expected > tolerance:
        return "超进度"
    if expected - actual > tolerance:
        return "欠进度"
    return "达进度"


def timeliness(first: ReportFacts | None, due: DueDate, on: date) -> str:
    """on_time / late / missing / pending for a period's first submission against its due date."""
    if first is None:
        return "missing" if on > due.due else "pending"
    return "on_time" if first.submitted_at.date() <= due.due else "late"


def assess(
    task: TaskFacts,
    reports: Sequence[ReportFacts],
    on: date,
    due: DueDate | None = None,
    rules: LightRules = DEFAULT_RULES,
    *,
    expected_on: date | None = None,
) -> Light:
    """Light, standing and timeliness of one task on `on`, from all its reports and the period due.

    `expected_on` measures expected progress on another date, e.g. a bulletin's period end, while
    deadlines and due dates are still judged on `on`.
    """
    # Only what had been submitted by `on` counts, so a bulletin can be recomputed later unchanged.
    known = [r for r in reports if r.submitted_at.date() <= on]
    latest = max(known, key=_version_key, default=None)
    if due is not None and task.start > parse_period(due.period).end:
        due = None  # the task had not begun in the period, so nothing was owed for it
    period = due.period if due else None
    of_period = [r for r in known if r.period == period]
    period_report = max(of_period, key=_version_key, default=None)
    first = min(of_period, key=lambda r: (r.submitted_at, r.version, r.id), default=None)

    expected = expected_progress(task, expected_on or on)
    actual, source = actual_progress(task, latest)
    done = (latest is not None and latest.status == "已完成") or (actual is not None and actual >= 100.0)
    # Before the first due date there is no period to miss; the latest report is judged instead.
    judged = period_report if due else latest
    standing = classify(expected, actual, judged, done=done, tolerance=rules.tolerance)
    if due is None:
        when = "pending"
    elif done and first is None:
        when = "not_required"  # finished in an earlier period; nothing more is owed
    else:
        when = timeliness(first, due, on)
    ids = tuple(sorted({r.id for r in of_period} | ({latest.id} if latest else set()), key=id_key))
    colour, rule, reason = _light(task, on, due, period_report, expected, actual, source, done, when, rules)
    return Light(task.id, colour, rule, reason, standing, expected, actual, source, when, period, ids)


def assess_all(
    tasks: Iterable[TaskFacts],
    reports: Iterable[ReportFacts],
    on: date,
    cadence: Cadence,
    rules: LightRules = DEFAULT_RULES,
    period: str | None = None,
) -> dict[str, Light]:
    """Assess every task on `on` against `period` (default: the last period due by then), keyed by id."""
    due = due_date(cadence, parse_period(period)) if period else reporting_periods(cadence, on).last_due
    by_task: dict[str, list[ReportFacts]] = defaultdict(list)
    for r in reports:
        by_task[r.task_id].append(r)
    return {t.id: assess(t, by_task.get(t.id, ()), on, due, rules) for t in tasks}


def _light(
    task: TaskFacts,
    on: date,
    due: DueDate | None,
    period_report: ReportFacts | None,
    expected: float | None,
    actual: float | None,
    source: str,
    done: bool,
    when: str,
    rules: LightRules,
) -> tuple[str, str, str]:
    """(colour, rule id, Chinese reason) by the first rule that matches."""
    progress = _progress_phrase(expected, actual, source)
    if done:
        return "green", "green.done", "任务已完成"
    if task.deadline and task.deadline < on:
        days = (on - task.deadline).days
        return "red", "red.overdue", f"完成期限为{chinese_date(task.deadline)}，已逾期{days}天仍未完成"
    if due and when == "missing":
        label = parse_period(due.period).label
        return "red", "red.missing", f"{label}进展应于{chinese_date(due.due)}前报送，逾期未报送"
    lag = expected - actual if expected is not None and actual is not None else None
    if lag is not None and lag > rules.red_margin:
        return "red", "red.far_behind", f"{progress}，落后{_num(lag)}个百分点"
    if task.deadline and (task.deadline - on).days <= rules.due_soon_days:
        left = (task.deadline - on).days
        when_left = "今天到期" if left == 0 else f"还有{left}天到期"
        return (
            "yellow",
            "yellow.due_soon",
            f"完成期限为{chinese_date(task.deadline)}，{when_left}；{progress}",
        )
    if lag is not None and lag > rules.yellow_margin:
        return "yellow", "yellow.behind", f"{progress}，落后{_num(lag)}个百分点"
    if lag is None and period_report is not None and period_report.status == "滞后":
        return "yellow", "yellow.behind", "责任单位自报“滞后”，暂无可比的量化进度"
    if lag is None:
        status = f"报送状态为“{period_report.status}”" if period_report else "暂无报送"
        return "green", "green.on_track", f"{status}，暂无可比的量化进度"
    if lag > 0:
        return "green", "green.on_track", f"{progress}，落后{_num(lag)}个百分点，在允许范围内"
    return "green", "green.on_track", f"{progress}，符合序时进度"


def _progress_phrase(expected: float | None, actual: float | None, source: str) -> str:
    """序时进度60%，实际进度35% — naming the source when it is not the report's own figure."""
    how = {
        "targets": "（按量化指标测算）",
        "indicators": "（按监测指标测算）",
        "status": "（按报送状态）",
    }.get(source, "")
    parts = []
    if expected is not None:
        parts.append(f"序时进度{_num(expected)}%")
    if actual is not None:
        parts.append(f"实际进度{how}{_num(actual)}%")
    return "，".join(parts)


def _target_ratio(goal: float, baseline: float | None, achieved: float | None) -> float | None:
    """Share of one target reached, 0..1, measured from the baseline when there is one."""
    if achieved is None:
        return None
    if baseline is not None and goal != baseline:
        ratio = (achieved - baseline) / (goal - baseline)
    elif goal:
        ratio = achieved / goal
    else:
        return None
    return min(max(ratio, 0.0), 1.0)


def _version_key(r: ReportFacts) -> tuple:
    """Order of reports: by period, then version, then submission time."""
    return (r.period_value.end, r.version, r.submitted_at, r.id)


def _clamp(value: float) -> float:
    """Percent kept within 0..100."""
    return min(max(float(value), 0.0), 100.0)


def _num(value: float) -> str:
    """A percentage as people write it: 60, 12.5 (one decimal at most)."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
